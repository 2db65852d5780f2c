import { ConfigurationError } from "../../domain/errors.ts";
import { DEFAULT_BINANCE_BASE_URL } from "./binance-http.ts";
import type { BinanceMarketDataOptions } from "./binance-market-data.ts";
import { WEIGHT_PER_MINUTE, WeightBudget } from "./weight-budget.ts";

function positiveInteger(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  unit = "milliseconds",
): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) {
    throw new ConfigurationError(`${name} must be a positive whole number of ${unit}, got "${text}"`);
  }
  return value;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * A base URL that can leak nothing: https (plain http only to this machine, for tests and local
 * servers), and no credentials in it, since the URL appears in log lines and failure alerts. The
 * error never repeats a URL that holds credentials.
 */
function checkBaseUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`BINANCE_BASE_URL is not a URL: "${baseUrl.replace(/\/\/[^/]*@/, "//…@")}"`);
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      "BINANCE_BASE_URL must not hold credentials (user:password@): the URL is written in logs and alerts, and Binance's market data needs none",
    );
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
    throw new ConfigurationError(
      `BINANCE_BASE_URL must be https, got "${baseUrl}" (plain http is allowed only to localhost)`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(`BINANCE_BASE_URL must be https, got "${baseUrl}"`);
  }
}

/**
 * Binance settings from the environment: BINANCE_BASE_URL (default the market-data-only host),
 * BINANCE_REQUEST_TIMEOUT_MS (one request, default 5000), BINANCE_CALL_TIMEOUT_MS (a whole
 * call with its retries, default 20000), BINANCE_WEIGHT_PER_MINUTE (Binance's request weight per
 * minute and IP, default 6000: the client keeps under 90 % of it).
 */
export function binanceOptionsFromEnv(env: Record<string, string | undefined>): BinanceMarketDataOptions {
  const baseUrl = env.BINANCE_BASE_URL || DEFAULT_BINANCE_BASE_URL;
  checkBaseUrl(baseUrl);
  return {
    baseUrl,
    requestTimeoutMs: positiveInteger(env, "BINANCE_REQUEST_TIMEOUT_MS", 5_000),
    callTimeoutMs: positiveInteger(env, "BINANCE_CALL_TIMEOUT_MS", 20_000),
    weightBudget: new WeightBudget({
      limitPerMinute: positiveInteger(env, "BINANCE_WEIGHT_PER_MINUTE", WEIGHT_PER_MINUTE, "request weight"),
    }),
  };
}
