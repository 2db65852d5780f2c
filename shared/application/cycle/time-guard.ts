import { TradingBotError } from "../../domain/errors.ts";
import { timeframeMs } from "../../domain/market/timeframe.ts";
import { iso } from "../../domain/market/utc.ts";
import type { CycleConfig } from "./config.ts";
import type { CycleRequest } from "./request.ts";

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
