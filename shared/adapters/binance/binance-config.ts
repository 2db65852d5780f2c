import { ConfigurationError } from "../../domain/errors.ts";
import { DEFAULT_BINANCE_BASE_URL } from "./binance-http.ts";
import type { BinanceMarketDataOptions } from "./binance-market-data.ts";

function positiveInteger(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) {
    throw new ConfigurationError(`${name} must be a positive whole number of milliseconds, got "${text}"`);
  }
  return value;
}

/**
 * Binance settings from the environment: BINANCE_BASE_URL (default the market-data-only host),
 * BINANCE_REQUEST_TIMEOUT_MS (one request, default 5000), BINANCE_CALL_TIMEOUT_MS (a whole
 * call with its retries, default 20000).
 */
export function binanceOptionsFromEnv(env: Record<string, string | undefined>): BinanceMarketDataOptions {
  const baseUrl = env.BINANCE_BASE_URL || DEFAULT_BINANCE_BASE_URL;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`BINANCE_BASE_URL is not a URL: "${baseUrl}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(`BINANCE_BASE_URL must be http(s), got "${baseUrl}"`);
  }
  return {
    baseUrl,
    requestTimeoutMs: positiveInteger(env, "BINANCE_REQUEST_TIMEOUT_MS", 5_000),
    callTimeoutMs: positiveInteger(env, "BINANCE_CALL_TIMEOUT_MS", 20_000),
  };
}
