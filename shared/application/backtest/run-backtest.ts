import type { Candle } from "../../domain/market/candle.ts";
import { toCandleSeries } from "../../domain/market/candle-series.ts";
import { type Timeframe, timeframeMs } from "../../domain/market/timeframe.ts";
import { allPages } from "../all-pages.ts";
import { type CycleConfig, candleCount } from "../cycle/index.ts";
import type { StoredTrade } from "../ports/account-repository.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";
import type { SymbolFilters } from "../ports/market-data.ts";
import type { ReplayAccount, ReplayStores } from "../ports/replay-stores.ts";
import { cycleAtClose } from "./cycle-at-close.ts";
import { checkNoLookahead, lookaheadProbes } from "./lookahead.ts";

export interface BacktestInput {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Validated candles, oldest first: the warm-up, then the candles to trade. */
  readonly candles: readonly Candle[];
  /** Index of the first candle traded (a cycle runs at its close); at least window − 1. */
  readonly firstIndex: number;
  readonly filters: SymbolFilters;
  readonly config: CycleConfig;
  /** Where the replay runs (the adapters' in-memory stores). */
  readonly stores: ReplayStores;
  /** Default: a fresh account from `stores`. */
  readonly account?: ReplayAccount;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What each cycle left: the equity at the candle's close, and the cycle's result. */
export interface BacktestStep {
  readonly candle: Candle;
  readonly equity: number;
  readonly result: CycleResult;
}

export interface BacktestRun {
  readonly steps: BacktestStep[];
  readonly trades: readonly StoredTrade[];
}

/**
 * Replays history through the very cycle the Lambda runs: one cycle per closed candle, in
 * order, at that candle's close, on an account that starts from the configured balance.
 */
export async function runBacktest(input: BacktestInput): Promise<BacktestRun> {
  const { symbol, timeframe, candles, firstIndex, config } = input;
  const account = input.account ?? input.stores.newAccount();
  const { history } = account;
  const interval = timeframeMs(timeframe);
  const runAt = cycleAtClose(
    input.stores.newMarket([{ symbol, timeframe, candles, filters: input.filters }]),
    account,
    config,
  );
  const steps: BacktestStep[] = [];
  const total = candles.length - firstIndex;
  for (let i = firstIndex; i < candles.length; i++) {
    const candle = candles[i] as Candle;
    const result = await runAt(candle.openTime + interval, { symbol, timeframe });
    if (result.status === "failed") {
      throw new Error(
        `the cycle for the candle of ${new Date(candle.openTime).toISOString()} failed: ${result.error?.type}: ${result.error?.message}`,
      );
    }
    steps.push({ candle, equity: Number(result.account?.equity), result });
    if (input.onProgress && (i - firstIndex) % 50 === 0) input.onProgress(i - firstIndex + 1, total);
  }
  input.onProgress?.(total, total);
  // The strategy again at its BUY and SELL candles and a spread of others, on the series as it
  // stood then: a strategy that reads a later candle fails here, loudly.
  const strategy = config.strategy;
  const events = steps.flatMap((step, k) =>
    step.result.signal?.action === "BUY" || step.result.signal?.action === "SELL" ? [firstIndex + k] : [],
  );
  checkNoLookahead(
    strategy,
    toCandleSeries(candles),
    lookaheadProbes(firstIndex, candles.length, events),
    candleCount(strategy, config),
    interval,
  );
  const accountId = config.defaultAccountId;
  const trades = await allPages((cursor) =>
    history.listTrades(accountId, { limit: 1000, ...(cursor ? { cursor } : {}) }),
  );
  trades.reverse(); // oldest first
  return { steps, trades };
}
