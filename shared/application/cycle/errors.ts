import { TradingBotError } from "../../domain/errors.ts";
import { cutText, echoJson } from "../cut-text.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";
import { DeadlineExceededError } from "./deadline.ts";
import { type CycleRequest, ECHO_CHARS } from "./request.ts";

/** Binance has fewer closed candles than the strategy needs (a newly listed symbol). */
/**
 * The market data's last closed candle is not the candle of the cycle's event (a skewed upstream):
 * nothing is committed; a retry, once the right candle is served, may succeed.
 */
export class CandleMismatchError extends TradingBotError {
  override readonly name: string = "CandleMismatchError";
  readonly retryable = true;
}

export class InsufficientHistoryError extends TradingBotError {
  override readonly name: string = "InsufficientHistoryError";
  readonly retryable = false;
}

/** An error as results and alerts show it; unknown errors count as retryable (Lambda retries, the failure queue keeps them). */
/** An error for results, logs and alerts: its message cut to about 1 KB (an upstream may send megabytes). */
export const errorView = (error: unknown) => ({
  type: error instanceof Error ? error.name : "Error",
  message: cutText(error instanceof Error ? error.message : String(error), 1_000),
  retryable: error instanceof TradingBotError ? error.retryable : true,
});

/** A call that gave up because the invocation's time ran out says so (a retry may well succeed). */
export function ranOutOfTime(error: unknown): unknown {
  if (error instanceof DeadlineExceededError) return error;
  if (error instanceof TradingBotError && !error.retryable) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DeadlineExceededError(`the cycle ran out of the invocation's time (${message})`, {
    cause: error,
  });
}

/** The result of a cycle that did not run to its end. */
export function failedResult(request: CycleRequest, error: unknown): CycleResult {
  return {
    status: "failed",
    dryRun: request.dryRun === true,
    symbol: request.symbol,
    timeframe: request.timeframe,
    accountId: request.accountId,
    exits: [],
    entry: null,
    position: null,
    durationMs: 0,
    error: errorView(error),
  };
}

/** The result of an event that did not parse, echoing what it named in short strings only. */
export function invalidEventResult(event: unknown, error: unknown): CycleResult {
  const raw = (typeof event === "object" && event ? event : {}) as Record<string, unknown>;
  const short = (v: unknown) => (typeof v === "string" ? cutText(v, ECHO_CHARS) : v);
  const echoed = {
    symbol: short(raw.symbol),
    timeframe: short(raw.timeframe),
    accountId: short(raw.accountId),
    dryRun: raw.dryRun,
  };
  return failedResult(echoed as unknown as CycleRequest, error);
}

/** An event as the log echoes it: its JSON, at most 2,000 characters. */
export const echoedEvent = (event: unknown): string => echoJson(event, 2_000);
