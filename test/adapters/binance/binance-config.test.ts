import { describe, expect, it } from "vitest";
import { binanceOptionsFromEnv } from "../../../shared/adapters/binance/binance-config.ts";
import { ConfigurationError } from "../../../shared/domain/errors.ts";

describe("binanceOptionsFromEnv", () => {
  it("defaults to Binance's market-data host and bounded timeouts", () => {
    expect(binanceOptionsFromEnv({})).toMatchObject({
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
    expect(binanceOptionsFromEnv(env)).toMatchObject({
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
    [{ BINANCE_BASE_URL: "ftp://x" }, "BINANCE_BASE_URL must be https"],
    [{ BINANCE_BASE_URL: "http://data-api.binance.vision" }, "plain http is allowed only to localhost"],
    [{ BINANCE_BASE_URL: "http://10.0.0.5:8080" }, "plain http is allowed only to localhost"],
    [
      { BINANCE_REQUEST_TIMEOUT_MS: "5s" },
      'BINANCE_REQUEST_TIMEOUT_MS must be a positive whole number of milliseconds, got "5s"',
    ],
    [{ BINANCE_CALL_TIMEOUT_MS: "0" }, "BINANCE_CALL_TIMEOUT_MS must be a positive whole number"],
    [
      { BINANCE_WEIGHT_PER_MINUTE: "6k" },
      'BINANCE_WEIGHT_PER_MINUTE must be a positive whole number of request weight, got "6k"',
    ],
  ])("rejects an unusable value, naming the variable (%#)", (env, message) => {
    expect(() => binanceOptionsFromEnv(env)).toThrowError(ConfigurationError);
    expect(() => binanceOptionsFromEnv(env)).toThrowError(message);
  });

  it.each([
    "http://user:s3cr3t-token@127.0.0.1:9000",
    "https://s3cr3t-token@data-api.binance.vision",
    "https://user:s3cr3t-token@data-api.binance.vision/",
  ])("refuses credentials in the URL without repeating them (%#)", (baseUrl) => {
    const error = (() => {
      try {
        binanceOptionsFromEnv({ BINANCE_BASE_URL: baseUrl });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toContain("must not hold credentials");
    expect(error?.message).not.toContain("s3cr3t-token");
  });

  it("allows plain http to this machine (local servers, tests)", () => {
    for (const host of ["127.0.0.1:9000", "localhost:9000", "[::1]:9000"]) {
      expect(binanceOptionsFromEnv({ BINANCE_BASE_URL: `http://${host}` }).baseUrl).toBe(`http://${host}`);
    }
  });
});
