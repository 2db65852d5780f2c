import { TradingBotError } from "../../domain/errors.ts";

/** Base of every error the Binance adapter throws. */
export abstract class BinanceError extends TradingBotError {
  override readonly name: string = "BinanceError";
}

/** HTTP 429 (slow down) or 418 (IP banned for ignoring 429s): never hammer into either. */
export class RateLimitedError extends BinanceError {
  override readonly name: string = "RateLimitedError";
  readonly retryable = true;
  readonly status: 429 | 418;
  /** Seconds Binance asked us to wait (Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: 429 | 418, retryAfterSeconds: number | undefined) {
    const wait = retryAfterSeconds === undefined ? "" : `; retry after ${retryAfterSeconds} s`;
    super(
      status === 418
        ? `Binance has banned this IP for too many requests (HTTP 418${wait})`
        : `Binance rate limit hit (HTTP 429${wait})`,
    );
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** HTTP 451: Binance refuses requests from this location (some countries and AWS regions). */
export class RegionBlockedError extends BinanceError {
  override readonly name: string = "RegionBlockedError";
  readonly retryable = false;
  constructor(baseUrl: string) {
    super(
      `Binance refuses service from this location (HTTP 451 from ${baseUrl}): deploy in a region Binance serves, ` +
        "or set BINANCE_BASE_URL to an endpoint reachable from here",
    );
  }
}

/** A Binance API error body `{code, msg}` that is not one of the specific ones below. */
export class BinanceApiError extends BinanceError {
  override readonly name: string = "BinanceApiError";
  readonly retryable = false;
  readonly code: number;
  readonly binanceMessage: string;
  readonly status: number;

  constructor(code: number, binanceMessage: string, status: number) {
    super(`Binance rejected the request: ${binanceMessage} (code ${code}, HTTP ${status})`);
    this.code = code;
    this.binanceMessage = binanceMessage;
    this.status = status;
  }
}

export class InvalidSymbolError extends BinanceError {
  override readonly name: string = "InvalidSymbolError";
  readonly retryable = false;
  readonly symbol: string;

  constructor(symbol: string) {
    super(`Binance does not list "${symbol}" (code -1121)`);
    this.symbol = symbol;
  }
}

export class InvalidIntervalError extends BinanceError {
  override readonly name: string = "InvalidIntervalError";
  readonly retryable = false;
  readonly interval: string;

  constructor(interval: string) {
    super(`Binance does not know the interval "${interval}" (code -1120)`);
    this.interval = interval;
  }
}

/** 5xx, connection failures and timeouts that outlasted the retries. */
export class BinanceUnavailableError extends BinanceError {
  override readonly name: string = "BinanceUnavailableError";
  readonly retryable = true;
}

/** A response that is not the JSON Binance documents (HTML, truncated, wrong shape). */
export class MalformedResponseError extends BinanceError {
  override readonly name: string = "MalformedResponseError";
  readonly retryable = true;
}

/** The candle that should have closed by now is not served yet, even after waiting. */
export class StaleDataError extends BinanceError {
  override readonly name: string = "StaleDataError";
  readonly retryable = true;
}
