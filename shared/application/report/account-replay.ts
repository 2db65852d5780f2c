import type { Candle } from "../../domain/market/candle.ts";
import { type Timeframe, timeframeMs } from "../../domain/market/timeframe.ts";
import { type Decimal, dec, ZERO } from "../../domain/money/decimal.ts";
import { allPages } from "../all-pages.ts";
import { cycleAtClose } from "../backtest/cycle-at-close.ts";
import type { CycleConfig } from "../cycle/index.ts";
import type { StoredTrade } from "../ports/account-repository.ts";
import type { CycleSettings } from "../ports/cycle-record.ts";
import type { SymbolFilters } from "../ports/market-data.ts";
import type { ReplayStores } from "../ports/replay-stores.ts";
import type { ReplayConfigs } from "./replay-config.ts";

/** One pair of the account: the candles Binance serves now and the period its live cycles cover. */
export interface ReplayPair {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Validated candles, oldest first, the strategy's warm-up included. */
  readonly candles: readonly Candle[];
  /** Binance's filters today, for cycles before any recorded. */
  readonly filters: SymbolFilters;
  /** The filters the live cycles sized with, oldest first, each where it changed. */
  readonly filtersUsed: readonly { readonly candleTime: number; readonly filters: SymbolFilters }[];
  /** Open times of the first and last candle with a live cycle record. */
  readonly from: number;
  readonly to: number;
}

export const pairKey = (p: { symbol: string; timeframe: string }) => `${p.symbol} ${p.timeframe}`;

/** What one replay runs: each pair's settings at a candle, the candles it leaves out, the order at a close. */
export interface ReplayPlan {
  settingsAt(pair: string, candleTime: number): CycleSettings;
  skips(pair: string, candleTime: number): boolean;
  /** Among cycles closing together, lower runs first (live's commit order). */
  rank(pair: string, candleTime: number): number;
}

export interface ReplayOutcome {
  /** Every fill, oldest first. */
  readonly trades: readonly StoredTrade[];
  /** Cash plus every open position at its pair's last replayed close. */
  readonly finalEquity: Decimal;
}

/** The filters a pair's cycle of candle `openTime` sizes with: as live recorded them, else today's. */
export function filtersAt(pair: ReplayPair, openTime: number): SymbolFilters {
  let found = pair.filtersUsed[0]?.filters ?? pair.filters;
  for (const entry of pair.filtersUsed) {
    if (entry.candleTime > openTime) break;
    found = entry.filters;
  }
  return found;
}

/** The close of the candle that opened at `openTime`, as served now. */
export function closeAt(pair: ReplayPair, openTime: number): Decimal {
  const candle = pair.candles.find((c) => c.openTime === openTime) ?? pair.candles.at(-1);
  return dec(candle?.close ?? 0);
}

/**
 * A whole account replayed through the very cycle the Lambda runs: every pair's cycles at every
 * close, in time order, on one account that starts with the live account's balance (pairs share
 * cash and the position limit as they do live), each cycle with the settings the plan gives it.
 */
export async function replayAccount(input: {
  readonly accountId: string;
  readonly initialBalance: Decimal;
  readonly quoteAsset: string;
  readonly pairs: readonly ReplayPair[];
  readonly plan: ReplayPlan;
  readonly configs: ReplayConfigs;
  readonly stores: ReplayStores;
}): Promise<ReplayOutcome> {
  const { accountId, pairs, plan, configs } = input;
  const market = input.stores.newMarket(pairs);
  const account = input.stores.newAccount();
  const { repository } = account;
  await repository.openAccount(accountId, input.initialBalance, new Date(0), input.quoteAsset);
  const runners = new Map<CycleConfig, ReturnType<typeof cycleAtClose>>();
  const events: { close: number; rank: number; pair: ReplayPair; open: number }[] = [];
  for (const pair of pairs) {
    const interval = timeframeMs(pair.timeframe);
    const key = pairKey(pair);
    for (let open = pair.from; open <= pair.to; open += interval) {
      if (plan.skips(key, open)) continue;
      events.push({ close: open + interval, rank: plan.rank(key, open), pair, open });
    }
  }
  events.sort((a, b) => a.close - b.close || a.rank - b.rank);
  for (const { close, pair, open } of events) {
    const { symbol, timeframe } = pair;
    const config = configs.configFor(symbol, timeframe, plan.settingsAt(pairKey(pair), open));
    let runAt = runners.get(config);
    if (!runAt) {
      runAt = cycleAtClose(market, account, config);
      runners.set(config, runAt);
    }
    market.setFilters(symbol, filtersAt(pair, open));
    const result = await runAt(close, { symbol, timeframe, accountId });
    if (result.status !== "ok") {
      throw new Error(
        `the replayed cycle of ${symbol} ${timeframe} at ${new Date(close).toISOString()} ended ${result.status}: ${result.error?.type}: ${result.error?.message}`,
      );
    }
  }
  const trades = await allPages((cursor) =>
    account.history.listTrades(accountId, { limit: 1000, ...(cursor ? { cursor } : {}) }),
  );
  const state = await account.history.loadState(accountId);
  let equity = state?.account.balances[input.quoteAsset] ?? ZERO;
  for (const position of state?.positions ?? []) {
    const pair = pairs.find((p) => pairKey(p) === pairKey(position));
    equity = equity.plus(position.quantity.times(pair ? closeAt(pair, pair.to) : position.markPrice));
  }
  return { trades: trades.reverse(), finalEquity: equity };
}
