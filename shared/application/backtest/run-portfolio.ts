import type { Candle } from "../../domain/market/candle.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import { allPages } from "../all-pages.ts";
import type { CycleConfig } from "../cycle/index.ts";
import { portfolioSchedule } from "../optimize/simulate-portfolio.ts";
import type { StoredTrade } from "../ports/account-repository.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";
import type { SymbolFilters } from "../ports/market-data.ts";
import type { ReplayStores } from "../ports/replay-stores.ts";
import { cycleAtClose } from "./cycle-at-close.ts";

/** One pair of the account as the watchlist schedules it, with its candles (warm-up included). */
export interface PortfolioPair {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Validated candles, oldest first, without gaps. */
  readonly candles: readonly Candle[];
  readonly filters: SymbolFilters;
}

export interface PortfolioInput {
  readonly accountId: string;
  /** The account's pairs in the order their cycles run at a shared close (the watchlist's). */
  readonly pairs: readonly PortfolioPair[];
  /** Open times (epoch ms, inclusive) of the first and last candles traded, of any pair. */
  readonly from: number;
  readonly to: number;
  /** The deployed configuration: its watchlist schedules every pair (strategies, risk, account). */
  readonly config: CycleConfig;
  readonly stores: ReplayStores;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One cycle of the replay: the close it ran at, its pair and its result. */
export interface PortfolioCycle {
  readonly close: number;
  readonly pair: string;
  readonly result: CycleResult;
}

/** The account after every cycle of a close: its equity, and its open positions. */
export interface PortfolioMark {
  readonly close: number;
  readonly equity: number;
  readonly openPositions: number;
}

export interface PortfolioRun {
  readonly cycles: PortfolioCycle[];
  readonly marks: PortfolioMark[];
  readonly trades: readonly StoredTrade[];
}

/**
 * The order of the cycles that share a close: the watchlist's (as `npm start` runs them). Live,
 * those cycles run at once and commit in whatever order they finish; `npm run report` names a
 * different order as its own cause.
 */
export const SAME_CLOSE_ORDER = "the watchlist's order (as npm start runs them)";

/**
 * Replays a whole account as the fleet trades it: at every close of any of its pairs, the cycle
 * of each pair closing then, through the very cycle the Lambda runs, on one account (shared cash,
 * position slots and protections), in SAME_CLOSE_ORDER. A failed cycle stops the replay, naming it.
 */
export async function runPortfolio(input: PortfolioInput): Promise<PortfolioRun> {
  const { accountId, pairs, from, to, config } = input;
  const account = input.stores.newAccount();
  const runAt = cycleAtClose(input.stores.newMarket(pairs), account, config);
  const schedule = closesOf(pairs, from, to);
  const cycles: PortfolioCycle[] = [];
  const marks: PortfolioMark[] = [];
  let done = 0;
  for (const [close, due] of schedule) {
    let last: CycleResult | undefined;
    for (const pair of due) {
      const result = await runAt(close, { symbol: pair.symbol, timeframe: pair.timeframe, accountId });
      if (result.status !== "ok")
        throw new Error(
          `the ${pair.symbol} ${pair.timeframe} cycle at ${new Date(close).toISOString()} ${result.status === "failed" ? `failed: ${result.error?.type}: ${result.error?.message}` : `answered ${result.status}`}`,
        );
      cycles.push({ close, pair: `${pair.symbol} ${pair.timeframe}`, result });
      last = result;
    }
    const state = await account.history.loadState(accountId);
    marks.push({
      close,
      equity: Number(last?.account?.equity),
      openPositions: state?.positions.length ?? 0,
    });
    done++;
    if (input.onProgress && done % 50 === 0) input.onProgress(done, schedule.size);
  }
  input.onProgress?.(schedule.size, schedule.size);
  const trades = await allPages((cursor) =>
    account.history.listTrades(accountId, { limit: 1000, ...(cursor ? { cursor } : {}) }),
  );
  trades.reverse(); // oldest first
  return { cycles, marks, trades };
}

/** The closes of every pair's candles opening from `from` to `to`, with the pairs closing then, in the pairs' order (portfolioSchedule's, by close). */
export function closesOf<P extends PortfolioPair>(
  pairs: readonly P[],
  from: number,
  to: number,
): Map<number, P[]> {
  const { closes, dueStart, duePair } = portfolioSchedule(pairs, from, to);
  const byClose = new Map<number, P[]>();
  closes.forEach((close, k) => {
    const due: P[] = [];
    for (let e = dueStart[k] as number; e < (dueStart[k + 1] as number); e++)
      due.push(pairs[duePair[e] as number] as P);
    byClose.set(close, due);
  });
  return byClose;
}
