import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BinanceStandIn, shiftToClose } from "../../../cli/stand-ins/binance-stand-in.ts";
import {
  BinanceUnavailableError,
  InvalidIntervalError,
  InvalidSymbolError,
  MalformedResponseError,
  RateLimitedError,
  RegionBlockedError,
  StaleDataError,
} from "../../../shared/adapters/binance/binance-errors.ts";
import {
  BinanceMarketData,
  type BinanceMarketDataOptions,
} from "../../../shared/adapters/binance/binance-market-data.ts";
import { Deadline } from "../../../shared/application/cycle/index.ts";
import type { Candle } from "../../../shared/domain/market/candle.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";

const H4 = 4 * 3_600_000;
const NOW = Date.UTC(2026, 10, 26, 8, 0, 5); // 5 s after a 4h close
const source = fixtureCandles("BNBUSDT-4h");
const WANTED = 1000; // the candle that has just closed at NOW
const candles = shiftToClose(source, WANTED, "4h", NOW);
const closedBy = Math.floor(NOW / H4) * H4;

let server: BinanceStandIn;
const client = (options: BinanceMarketDataOptions = {}) =>
  new BinanceMarketData({
    baseUrl: server.url,
    now: () => NOW,
    requestTimeoutMs: 300,
    callTimeoutMs: 2_000,
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    staleRetryMs: 30,
    ...options,
  });
const status = (code: number, body = "", headers: Record<string, string> = {}) =>
  ({ kind: "status", status: code, body, headers }) as const;
const request = { symbol: "BNBUSDT", timeframe: "4h", count: 300, closedBy } as const;

beforeAll(async () => {
  server = await BinanceStandIn.start();
});
afterAll(async () => server.close());
beforeEach(() => {
  server.reset();
  server.now = () => NOW;
  server.serve("BNBUSDT", "4h", candles);
});

describe("closedCandles", () => {
  it("returns the 300 closed candles ending with the one that just closed, as served", async () => {
    const batch = await client().closedCandles(request);
    expect(batch.candles).toEqual(candles.slice(WANTED - 299, WANTED + 1));
    expect(batch.gaps).toEqual([]);
    expect(batch.usedWeight).toBe(2);
    expect(server.requestsTo("/api/v3/klines")[0]?.query).toEqual({
      symbol: "BNBUSDT",
      interval: "4h",
      endTime: String(closedBy - H4),
      limit: "300",
    });
  });

  it("drops a candle still forming even when the upstream sends it", async () => {
    server.fail({ kind: "forming" });
    const batch = await client().closedCandles(request);
    expect(batch.candles.at(-1)).toEqual(candles[WANTED]);
    expect(batch.candles).toHaveLength(300);
  });

  it("waits for a candle Binance has not served yet, then returns it", async () => {
    server.lagMs = 60_000;
    setTimeout(() => {
      server.lagMs = 0;
    }, 100);
    const batch = await client().closedCandles(request);
    expect(batch.candles.at(-1)).toEqual(candles[WANTED]);
    expect(server.requestsTo("/api/v3/klines").length).toBeGreaterThan(1);
  });

  it("fails with a stale-data error instead of using an older window", async () => {
    server.lagMs = 60_000;
    const error = await client({ callTimeoutMs: 300 })
      .closedCandles(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleDataError);
    expect((error as Error).message).toMatch(
      /the candle that closed by 2026-11-26T08:00:00.000Z is not served yet; the latest closed one opened at/,
    );
  });

  it("does not wait on a feed far behind: its newest candle is more than two intervals old", async () => {
    // The served candles stop 30 candles before the one that should have closed.
    server.serve("BNBUSDT", "4h", candles.slice(0, WANTED - 29));
    const error = await client({ callTimeoutMs: 10_000 })
      .closedCandles(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleDataError);
    expect(server.requestsTo("/api/v3/klines")).toHaveLength(1); // asked once, not again until the budget ran out
  });

  it("reports a gap in Binance's candles instead of hiding it", async () => {
    const holed = candles.filter((_, i) => i !== WANTED - 10 && i !== WANTED - 9);
    server.serve("BNBUSDT", "4h", holed);
    const batch = await client().closedCandles(request);
    const after = (candles[WANTED - 11] as Candle).openTime;
    expect(batch.gaps).toEqual([{ after, before: after + 3 * H4, missing: 2 }]);
  });
});

describe("candleRange", () => {
  it("paginates more than 1,000 candles in order, without duplicates or holes", async () => {
    const progress: [number, number][] = [];
    const all = await client().candleRange({
      symbol: "BNBUSDT",
      timeframe: "4h",
      from: (candles[0] as Candle).openTime,
      to: (candles[WANTED] as Candle).openTime + 100 * H4,
      onProgress: (fetched, expected) => progress.push([fetched, expected]),
    });
    expect(all.candles).toEqual(candles.slice(0, WANTED + 1)); // nothing after the last closed candle
    expect(progress).toEqual([
      [1000, 1001],
      [1001, 1001],
    ]);
    expect(server.requestsTo("/api/v3/klines").map((r) => r.query.startTime)).toEqual([
      String(candles[0]?.openTime),
      String(candles[1000]?.openTime),
    ]);
  });
});

describe("errors", () => {
  const klinesError = () =>
    client()
      .closedCandles(request)
      .catch((e: unknown) => e);

  it("retries a 429 whose Retry-After fits the time budget", async () => {
    server.fail(status(429, "", { "retry-after": "0" }));
    const batch = await client().closedCandles(request);
    expect(batch.candles).toHaveLength(300);
    expect(server.requestsTo("/api/v3/klines")).toHaveLength(2);
  });

  it("gives up on a 429 whose Retry-After does not fit, with the seconds", async () => {
    server.fail(status(429, "", { "retry-after": "60" }));
    const error = await klinesError();
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 60, retryable: true });
    expect(server.requests).toHaveLength(1);
  });

  it("never retries into a 418 ban", async () => {
    server.fail(status(418, "", { "retry-after": "0" }), 3);
    const error = await klinesError();
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ status: 418, retryAfterSeconds: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it("explains HTTP 451 and names BINANCE_BASE_URL", async () => {
    server.fail(status(451, '{"code":0,"msg":"Service unavailable from a restricted location"}'));
    const error = await klinesError();
    expect(error).toBeInstanceOf(RegionBlockedError);
    expect((error as Error).message).toMatch(/deploy in a region Binance serves, or set BINANCE_BASE_URL/);
  });

  it("maps Binance's error codes to their errors", async () => {
    const unknown = await client()
      .closedCandles({ ...request, symbol: "BNBUSD" })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(InvalidSymbolError);
    expect((unknown as Error).message).toBe('Binance does not list "BNBUSD" (code -1121)');
    server.fail(status(400, '{"code":-1120,"msg":"Invalid interval."}'));
    expect(await klinesError()).toBeInstanceOf(InvalidIntervalError);
    server.fail(status(400, '{"code":-1100,"msg":"Illegal characters found in a parameter."}'));
    expect(await klinesError()).toMatchObject({
      code: -1100,
      binanceMessage: "Illegal characters found in a parameter.",
    });
    expect(server.requests).toHaveLength(3);
  });

  it("retries 5xx, resets, slow headers and truncated bodies, then succeeds", async () => {
    server.fail(status(503)).fail({ kind: "reset" }).fail({ kind: "slow", delayMs: 1_000 });
    expect((await client().closedCandles(request)).candles).toHaveLength(300);
    expect(server.requests).toHaveLength(4);
    server.reset();
    server.now = () => NOW;
    server.serve("BNBUSDT", "4h", candles).fail({ kind: "truncated" });
    expect((await client().closedCandles(request)).candles).toHaveLength(300);
    expect(server.requests).toHaveLength(2);
  });

  it("stops after a bounded number of attempts with a temporary-unavailable error", async () => {
    server.fail(status(502), 10);
    const error = await client({ maxAttempts: 3 })
      .closedCandles(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinanceUnavailableError);
    expect((error as Error).message).toMatch(/\(BINANCE_BASE_URL\) is unavailable \(HTTP 502\)/);
    expect(server.requests).toHaveLength(3);
  });

  it("never outlives the call's time budget, however slow Binance is", async () => {
    server.fail({ kind: "slow", delayMs: 2_000 }, 10);
    const started = performance.now();
    const error = await client({ requestTimeoutMs: 200, callTimeoutMs: 500, maxAttempts: 10 })
      .closedCandles(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinanceUnavailableError);
    expect((error as Error).message).toMatch(/request timed out/);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("rejects a body that is not the expected JSON", async () => {
    server.fail({ kind: "html" });
    const html = await klinesError();
    expect(html).toBeInstanceOf(MalformedResponseError);
    expect((html as Error).message).toMatch(/not JSON: "<html><body><h1>502 Bad Gateway/);
    server.fail(status(200, JSON.stringify([[1, "1", "1", "1", "1", "1", 2, "1", 1, "1", "1"]])));
    expect(await klinesError()).toBeInstanceOf(MalformedResponseError);
  });
});

describe("symbolFilters", () => {
  it("reads the symbol's status and trading filters", async () => {
    const binance = client();
    expect(await binance.symbolFilters("BNBUSDT")).toEqual({
      symbol: "BNBUSDT",
      status: "TRADING",
      baseAsset: "BNB",
      quoteAsset: "USDT",
      tickSize: "0.01000000",
      stepSize: "0.00100000",
      minQty: "0.00100000",
      minNotional: "5.00000000",
    });
    expect(binance.usedWeight).toBe(20);
    await expect(binance.symbolFilters("NOPE")).rejects.toThrowError(InvalidSymbolError);
  });

  it("treats an error body that is not Binance's as malformed", async () => {
    server.fail(status(400, "<html>Bad request</html>"));
    await expect(client().symbolFilters("BNBUSDT")).rejects.toThrowError(MalformedResponseError);
  });

  describe("one client per container, bound to each invocation's deadline", () => {
    it("shares the kept exchange filters across invocations, and each invocation's calls end by its own deadline", async () => {
      const container = client();
      const first = container.withDeadline(new Deadline(5_000, 0));
      await first.symbolFilters("BNBUSDT");
      const second = container.withDeadline(new Deadline(5_000, 0));
      await second.symbolFilters("BNBUSDT");
      expect(server.requestsTo("/api/v3/exchangeInfo")).toHaveLength(1); // kept for the container
      server.fail({ kind: "slow", delayMs: 2_000 }, 5);
      const started = performance.now();
      const error = await container
        .withDeadline(new Deadline(300, 0))
        .closedCandles(request)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(performance.now() - started).toBeLessThan(1_500); // its deadline, not the call's 2 s budget
    });
  });
});
