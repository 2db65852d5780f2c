import { describe, expect, it } from "vitest";
import { binanceOptionsFromEnv } from "../../../shared/adapters/binance/binance-config.ts";
import { ConfigurationError } from "../../../shared/domain/errors.ts";

describe("binanceOptionsFromEnv", () => {
  it("defaults to Binance's market-data host and bounded timeouts", () => {
    expect(binanceOptionsFromEnv({})).toEqual({
      baseUrl: "https://data-api.binance.vision",
      requestTimeoutMs: 5_000,
      callTimeoutMs: 20_000,
    });
  });

  it("takes the base URL and timeouts from the environment", () => {
    const env = {
      BINANCE_BASE_URL: "https://api.binance.com",
      BINANCE_REQUEST_TIMEOUT_MS: "800",
      BINANCE_CALL_TIMEOUT_MS: "9000",
    };
    expect(binanceOptionsFromEnv(env)).toEqual({
      baseUrl: "https://api.binance.com",
      requestTimeoutMs: 800,
      callTimeoutMs: 9_000,
    });
  });

  it.each([
    [
      { BINANCE_BASE_URL: "data-api.binance.vision" },
      'BINANCE_BASE_URL is not a URL: "data-api.binance.vision"',
    ],
    [{ BINANCE_BASE_URL: "ftp://x" }, "BINANCE_BASE_URL must be http(s)"],
    [
      { BINANCE_REQUEST_TIMEOUT_MS: "5s" },
      'BINANCE_REQUEST_TIMEOUT_MS must be a positive whole number of milliseconds, got "5s"',
    ],
    [{ BINANCE_CALL_TIMEOUT_MS: "0" }, "BINANCE_CALL_TIMEOUT_MS must be a positive whole number"],
  ])("rejects an unusable value, naming the variable (%#)", (env, message) => {
    expect(() => binanceOptionsFromEnv(env)).toThrowError(ConfigurationError);
    expect(() => binanceOptionsFromEnv(env)).toThrowError(message);
  });
});
