/**
 * One base class for the project's errors: subclasses set `name` (as a literal, since bundles
 * minify class names), keep `cause`, end in `Error`, and say whether retrying could succeed.
 */
export abstract class TradingBotError extends Error {
  /** True when the same call may succeed later (outage, throttling); false for bad input or config. */
  abstract readonly retryable: boolean;
}

/** A window of candles that the strategy cannot evaluate. */
export class InvalidCandlesError extends TradingBotError {
  override readonly name: string = "InvalidCandlesError";
  readonly retryable = false;
}

/** A configuration value that is missing or unusable; the message names the variable. */
export class ConfigurationError extends TradingBotError {
  override readonly name: string = "ConfigurationError";
  readonly retryable = false;
}
