import { TradingBotError } from "../domain/errors.ts";
import { type Timeframe, timeframeMs } from "../domain/market/timeframe.ts";
import type { CycleConfig } from "./cycle-config.ts";
import type { CycleRequest } from "./cycle-request.ts";

/** The event names a candle that has not closed yet: nothing can be decided on it. */
export class FutureEventError extends TradingBotError {
  override readonly name: string = "FutureEventError";
  readonly retryable = false;
}

/** A live event that arrived too long after its candle closed: the account has moved on. */
export class LateEventError extends TradingBotError {
  override readonly name: string = "LateEventError";
  readonly retryable = false;
}

/** The symbol is quoted in another asset than the account's. */
export class ForeignQuoteAssetError extends TradingBotError {
  override readonly name: string = "ForeignQuoteAssetError";
  readonly retryable = false;
}

/** A live event for a pair the deployed watchlist does not schedule: nothing would manage its position. */
export class UnscheduledPairError extends TradingBotError {
  override readonly name: string = "UnscheduledPairError";
  readonly retryable = false;
}

/** How a (symbol, timeframe) pair is named in the schedule: "BNBUSDT 4h". */
export const pairName = (symbol: string, timeframe: Timeframe) => `${symbol} ${timeframe}`;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Live runs are for now: the candle must have closed (for dry runs too), and a live event may
 * come at most `maxEventDelayMs` (Lambda's asynchronous event age) plus one interval after its
 * candle closed. Dry runs may name any past time: that is how people inspect history.
 */
export function timeRefusal(request: CycleRequest, candleTime: number, now: number, config: CycleConfig) {
  const interval = timeframeMs(request.timeframe);
  const closeTime = candleTime + interval;
  if (closeTime > now) {
    return new FutureEventError(
      `the ${request.timeframe} candle of ${iso(candleTime)} closes at ${iso(closeTime)}, after now (${iso(now)})`,
    );
  }
  const limit = config.maxEventDelayMs + interval;
  if (!request.dryRun && now - closeTime > limit) {
    return new LateEventError(
      `the ${request.timeframe} candle of ${iso(candleTime)} closed at ${iso(closeTime)}, more than ${limit / 60_000} minutes before now (${iso(now)}); a live cycle trades only the candle that just closed (a dry run may look at any past time)`,
    );
  }
  return undefined;
}

/** Only the pairs the deployment schedules trade live (dry runs of any pair stay allowed). */
export function checkScheduled(request: CycleRequest, config: CycleConfig): void {
  if (request.dryRun || !config.scheduledPairs) return;
  const pair = pairName(request.symbol, request.timeframe);
  if (config.scheduledPairs.has(pair)) return;
  throw new UnscheduledPairError(
    `${pair} is not in the watchlist (${[...config.scheduledPairs].join(", ")}): a live run would open a position no schedule manages; add it to the watchlist, or use a dry run`,
  );
}

/** One quote asset per account: a symbol quoted in another is refused before anything is read. */
export function checkQuoteAsset(symbol: string, symbolQuote: string, accountQuote: string): void {
  if (symbolQuote === accountQuote) return;
  throw new ForeignQuoteAssetError(
    `${symbol} is quoted in ${symbolQuote}, but the account holds ${accountQuote}: one account trades symbols of one quote asset only`,
  );
}
