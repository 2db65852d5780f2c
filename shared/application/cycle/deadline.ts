import { TradingBotError } from "../../domain/errors.ts";
import { withinMs } from "../within.ts";

/** The cycle ran out of the time its invocation has: it stops before Lambda would kill it. */
export class DeadlineExceededError extends TradingBotError {
  override readonly name: string = "DeadlineExceededError";
  readonly retryable = true;
}

/**
 * The time one invocation may take, created where it starts (in Lambda, from
 * getRemainingTimeInMillis) and handed to the cycle and the adapters built for that invocation:
 * Binance's call budget, and an abort signal on every DynamoDB and SNS request. Times are
 * performance.now() values (a faked Date cannot move them). The work gets the budget; the failure
 * path then gets a reserve to queue and send its alert.
 */
export class Deadline {
  #at: number;
  readonly #reserveEnd: number;

  /** The work may take `workMs`, then the failure path `reserveMs` more; no arguments: no limit (a replay). */
  constructor(workMs = Number.POSITIVE_INFINITY, reserveMs = 0) {
    this.#at = performance.now() + Math.max(0, workMs);
    this.#reserveEnd = this.#at + Math.max(0, reserveMs);
  }

  /** From now on, the reserve: what is left for alerting a failure and finishing. */
  useReserve(): void {
    this.#at = this.#reserveEnd;
  }

  /** When the current budget ends, a performance.now() time (Infinity when unset). */
  get at(): number {
    return this.#at;
  }

  remainingMs(): number {
    return this.#at - performance.now();
  }

  /** Fires when the budget ends; undefined when there is no deadline. */
  signal(): AbortSignal | undefined {
    const remaining = this.remainingMs();
    return Number.isFinite(remaining) ? AbortSignal.timeout(Math.max(1, Math.ceil(remaining))) : undefined;
  }

  /** Runs `work`, or fails with DeadlineExceededError when the budget ends first. */
  race<T>(work: Promise<T>, what: string): Promise<T> {
    const remaining = this.remainingMs();
    if (!Number.isFinite(remaining)) return work;
    return withinMs(
      work,
      remaining,
      () =>
        new DeadlineExceededError(
          `${what} did not finish within the invocation's time (${Math.round(remaining)} ms left when it started)`,
        ),
    );
  }
}
