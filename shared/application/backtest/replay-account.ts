import { InMemoryAccountRepository } from "../../adapters/memory/in-memory-account-repository.ts";
import { PairsMarketData } from "../../adapters/memory/pairs-market-data.ts";
import type { Candle } from "../../domain/market/candle.ts";
import { type Timeframe, timeframeMs } from "../../domain/market/timeframe.ts";
import type { Decimal } from "../../domain/money/decimal.ts";
import { allPages } from "../all-pages.ts";
import type { CycleConfig } from "../cycle-config.ts";
import type { CycleResult } from "../cycle-result.ts";
import type { StoredTrade } from "../ports/account-repository.ts";
import type { SymbolFilters } from "../ports/market-data.ts";
import type { ConfiguredStrategy } from "../ports/strategy.ts";
import { cycleAtClose } from "./cycle-at-close.ts";

/** One pair of an account, replayed from `from` to `to` (open times of the first and last candle traded). */
export interface ReplayPair {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly strategy: ConfiguredStrategy;
  /** Validated candles, oldest first, the strategy's warm-up included. */
  readonly candles: readonly Candle[];
  /** The filters to size with where the pair's live cycles recorded none (Binance's today). */
  readonly filters: SymbolFilters;
  /**
   * The filters the live cycles sized with, by candle open time, oldest first: each replayed cycle
   * uses the last recorded at or before its candle (before the first: the first).
   */
  readonly filtersUsed?: readonly { readonly candleTime: number; readonly filters: SymbolFilters }[];
  readonly from: number;
  readonly to: number;
}

export interface AccountReplayInput {
  readonly accountId: string;
  readonly initialBalance: Decimal;
  readonly quoteAsset: string;
  /** The rules and window (the strategies are the pairs'). */
  readonly config: CycleConfig;
  readonly pairs: readonly ReplayPair[];
}

export interface AccountReplay {
  readonly trades: StoredTrade[];
  /** Each cycle's result, by pair ("BNBUSDT 4h") and candle open time. */
  readonly results: ReadonlyMap<string, ReadonlyMap<number, CycleResult>>;
}

/** The filters a pair's cycle of candle `openTime` sizes with: as live recorded them, else `filters`. */
function filtersAt(pair: ReplayPair, openTime: number): SymbolFilters {
  const used = pair.filtersUsed ?? [];
  let found = used[0]?.filters ?? pair.filters;
  for (const entry of used) {
    if (entry.candleTime > openTime) break;
    found = entry.filters;
  }
  return found;
}

/**
 * A whole account replayed through the very cycle the Lambda runs: every pair's cycles at every
 * close, in time order (pairs closing together in the order given, as the local runner runs them),
 * on one account that starts with the live account's balance, so pairs share cash and the position
 * limit as they do live.
 */
export async function replayAccount(input: AccountReplayInput): Promise<AccountReplay> {
  const { accountId, pairs } = input;
  const market = new PairsMarketData();
  for (const pair of pairs) market.add(pair.symbol, pair.timeframe, pair.candles, pair.filters);
  const repository = new InMemoryAccountRepository();
  const config: CycleConfig = {
    ...input.config,
    defaultAccountId: accountId,
    initialBalance: input.initialBalance,
    quoteAsset: input.quoteAsset,
    watchlist: pairs.map(({ symbol, timeframe, strategy }) => ({
      symbol,
      timeframe,
      strategy,
      accountId,
      mode: "trade" as const,
    })),
  };
  const runAt = cycleAtClose(market, repository, config);
  const events: { close: number; order: number; pair: ReplayPair }[] = [];
  pairs.forEach((pair, order) => {
    const interval = timeframeMs(pair.timeframe);
    for (let open = pair.from; open <= pair.to; open += interval) {
      events.push({ close: open + interval, order, pair });
    }
  });
  events.sort((a, b) => a.close - b.close || a.order - b.order);
  const results = new Map<string, Map<number, CycleResult>>();
  for (const { close, pair } of events) {
    const { symbol, timeframe } = pair;
    market.setFilters(symbol, filtersAt(pair, close - timeframeMs(timeframe)));
    const result = await runAt(close, { symbol, timeframe, accountId });
    if (result.status !== "ok") {
      throw new Error(
        `the replayed cycle of ${symbol} ${timeframe} at ${new Date(close).toISOString()} ended ${result.status}: ${result.error?.type}: ${result.error?.message}`,
      );
    }
    const key = `${symbol} ${timeframe}`;
    const byTime = results.get(key) ?? new Map<number, CycleResult>();
    byTime.set(close - timeframeMs(timeframe), result);
    results.set(key, byTime);
  }
  const trades = await allPages((cursor) =>
    repository.listTrades(accountId, { limit: 1000, ...(cursor ? { cursor } : {}) }),
  );
  return { trades: trades.reverse(), results };
}
