import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BinanceStandIn } from "../../../cli/stand-ins/binance-stand-in.ts";
import { RateLimitedError } from "../../../shared/adapters/binance/binance-errors.ts";
import { BinanceMarketData } from "../../../shared/adapters/binance/binance-market-data.ts";
import { WeightBudget, WeightBudgetError } from "../../../shared/adapters/binance/weight-budget.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";

/** A budget on a clock the test moves; its waits move the clock instead of sleeping. */
function budgetAt(start: number, limitPerMinute = 100) {
  const clock = { now: start, waited: [] as number[] };
  const budget = new WeightBudget({
    limitPerMinute,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.waited.push(Math.round(ms));
      clock.now += ms;
    },
  });
  return { budget, clock };
}
const FAR = () => performance.now() + 600_000;
const MINUTE = 60_000;

describe("the request weight budget", () => {
  it("slows down before the limit: a request that would pass 90 % waits for the next minute", async () => {
    const { budget, clock } = budgetAt(10 * MINUTE + 1_000);
    for (let i = 0; i < 4; i++) await budget.reserve(20, FAR()); // 80 of the 90 allowed
    expect(clock.waited).toEqual([]);
    await budget.reserve(20, FAR());
    expect(clock.waited).toHaveLength(1);
    expect(clock.now).toBeGreaterThanOrEqual(11 * MINUTE); // the next window
    expect(budget.stats.waits).toBe(1);
  });

  it("counts what Binance reports for the whole IP, not only its own requests", async () => {
    const { budget, clock } = budgetAt(10 * MINUTE);
    budget.observe(85); // other clients on this IP spent most of the minute
    await budget.reserve(2, FAR());
    await budget.reserve(2, FAR());
    expect(clock.waited).toEqual([]);
    await budget.reserve(2, FAR());
    expect(clock.waited).toHaveLength(1);
  });

  it("says so at once when waiting for the next window does not fit the call's time", async () => {
    const { budget } = budgetAt(10 * MINUTE + 1_000);
    budget.observe(90);
    const error = await budget.reserve(20, performance.now() + 5_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeightBudgetError);
    expect((error as Error).message).toContain("90 of the 90 this client allows itself this minute are used");
  });

  it("after a 429 holds every request until Retry-After; after a 418 sends none until the ban ends", async () => {
    const { budget, clock } = budgetAt(10 * MINUTE);
    budget.pause(429, 3);
    await budget.reserve(2, FAR());
    expect(clock.waited).toEqual([3_000]);
    budget.pause(418, 120);
    const banned = await budget.reserve(2, FAR()).catch((e: unknown) => e);
    expect(banned).toBeInstanceOf(RateLimitedError);
    expect(banned).toMatchObject({ status: 418, retryAfterSeconds: 120 });
    expect(clock.waited).toEqual([3_000]); // no waiting into a ban either
    clock.now += 120_000;
    await budget.reserve(2, FAR());
  });
});

describe("Binance's answers to a client that does not keep the limit, and to one that does", () => {
  let server: BinanceStandIn;
  beforeAll(async () => {
    server = await BinanceStandIn.start();
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    server.reset();
    server.serve("BNBUSDT", "4h", fixtureCandles("BNBUSDT-4h"));
  });
  const closedBy = fixtureCandles("BNBUSDT-4h").at(-1)?.openTime ?? 0;

  it("one that keeps it stays under it: no 429, no 418", async () => {
    server.weightLimit = 40;
    const market = new BinanceMarketData({
      baseUrl: server.url,
      weightBudget: new WeightBudget({ limitPerMinute: 40 }),
      callTimeoutMs: 2_000,
    });
    const outcomes = [];
    for (let i = 0; i < 25; i++)
      outcomes.push(
        await market
          .closedCandles({
            symbol: "BNBUSDT",
            timeframe: "4h",
            count: 10,
            closedBy: closedBy + 4 * 3_600_000,
          })
          .then(() => "ok")
          .catch((e: Error) => e.name),
      );
    // 18 requests fit 90 % of 40 this minute; the rest would wait for the next one, past the call's time.
    expect(outcomes.filter((o) => o === "ok").length).toBeGreaterThanOrEqual(18);
    expect(outcomes.filter((o) => o !== "ok").every((o) => o === "WeightBudgetError")).toBe(true);
    expect(server.weightStats).toMatchObject({ status429: 0, status418: 0 });
    expect(server.weightStats.peakPerMinute).toBeLessThanOrEqual(40);
  });

  it("the server answers 429 past the limit and bans a client that keeps sending (418)", async () => {
    server.weightLimit = 4;
    const raw = async () => (await fetch(`${server.url}/api/v3/time`)).status;
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push(await raw());
    expect(statuses).toEqual([200, 200, 200, 200, 429, 418]);
  });

  it("keeps a symbol's filters for their TTL: one exchangeInfo call for many cycles", async () => {
    let now = Date.UTC(2026, 0, 1);
    const market = new BinanceMarketData({ baseUrl: server.url, now: () => now, filtersTtlMs: 600_000 });
    await market.symbolFilters("BNBUSDT");
    await market.symbolFilters("BNBUSDT");
    now += 599_000;
    await market.symbolFilters("BNBUSDT");
    expect(server.requestsTo("/api/v3/exchangeInfo")).toHaveLength(1);
    now += 2_000;
    await market.symbolFilters("BNBUSDT");
    expect(server.requestsTo("/api/v3/exchangeInfo")).toHaveLength(2);
    server.fail(
      { kind: "status", status: 400, body: '{"code":-1121,"msg":"Invalid symbol."}' },
      1,
      "/api/v3/exchangeInfo",
    );
    now += 700_000;
    await expect(market.symbolFilters("BNBUSDT")).rejects.toThrow();
    await market.symbolFilters("BNBUSDT"); // a failure is not kept
    expect(server.requestsTo("/api/v3/exchangeInfo")).toHaveLength(4);
  });
});
