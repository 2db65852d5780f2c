import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it, vi } from "vitest";
import { BNBUSDT_INFO } from "../../cli/stand-ins/binance-stand-in.ts";
import { keys } from "../../shared/adapters/dynamodb/table-definition.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { BUY, STOPPED, useHandler } from "../helpers/handler-harness.ts";
import { commit, cycle, position } from "../helpers/trades.ts";

const h = useHandler();
const H4 = 4 * 3_600_000;
/** Sets the clock to just after the close of candle `index`. */
const clockAt = (index: number) => vi.setSystemTime(Date.parse(h.scheduled(index)) + 5_000);
const emf = () =>
  h.printed
    .flatMap((w) => w.split("\n"))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const thrown = (outcome: CycleResult | { thrown: Error }) => "thrown" in outcome;

describe("the live account cannot be bent", () => {
  it("refuses, inside the commit, a candle at or before the pair's last committed one: stale, no trade, no alert", async () => {
    // Lambda's retry for candle T arrives after the cycle for T+1 was committed.
    const later = await h.handler(h.event(BUY + 1));
    expect(later.status).toBe("ok");
    const event = h.event(BUY);
    clockAt(BUY + 1);
    const outcome = await h.run(event);
    expect(thrown(outcome)).toBe(false);
    const result = outcome as CycleResult;
    expect(result.status).toBe("stale");
    expect(result.error).toMatchObject({ type: "StaleCycleError", retryable: false });
    expect(result.error?.message).toContain("candles only move forward");
    expect(result.entry).toBeNull();
    expect((await h.repository.listTrades(h.accountId)).items).toEqual([]);
    expect(h.stack.sns.published).toEqual([]);
    expect(emf().some((m) => m.StaleEvents === 1)).toBe(true);
    expect(await h.repository.cycleNotes(h.accountId)).toEqual([
      {
        kind: "refused",
        symbol: "BNBUSDT",
        timeframe: "4h",
        candleTime: Date.parse(String(event.scheduledTime)) - H4,
        reason: "StaleCycleError",
      },
    ]);
  });

  it("refuses a live event that comes more than two hours plus one interval after its candle closed; a dry run may look back", async () => {
    const event = h.event(BUY);
    clockAt(BUY + 2); // 8 h after the close: the async event age (2 h) plus one interval (4 h) is past
    const result = (await h.run(event)) as CycleResult;
    expect(result.status).toBe("stale");
    expect(result.error?.type).toBe("LateEventError");
    expect(await h.repository.loadState(h.accountId)).toBeUndefined();
    expect(h.stack.sns.published).toEqual([]);
    // Only a note of why the candle has no cycle record, for `npm run report`.
    expect(await h.repository.cycleNotes(h.accountId)).toEqual([
      {
        kind: "refused",
        symbol: "BNBUSDT",
        timeframe: "4h",
        candleTime: Date.parse(String(event.scheduledTime)) - H4,
        reason: "LateEventError",
      },
    ]);

    const dry = (await h.run({ ...event, dryRun: true })) as CycleResult;
    expect(dry).toMatchObject({ status: "ok", dryRun: true, entry: { quantity: "1.567" } });
  });

  it("refuses an event whose candle has not closed yet, and claims no failure-alert slot for it", async () => {
    clockAt(BUY);
    const future = new Date(Date.now() + H4).toISOString();
    for (const dryRun of [false, true]) {
      const result = (await h.run({
        symbol: "BNBUSDT",
        timeframe: "4h",
        scheduledTime: future,
        accountId: h.accountId,
        dryRun,
      })) as CycleResult;
      expect(result.status).toBe("stale");
      expect(result.error?.type).toBe("FutureEventError");
    }
    const candle = Date.parse(future) - (Date.parse(future) % H4) - H4;
    const slot = await h.stack.dynamodb.documentClient().send(
      new GetCommand({
        TableName: h.stack.tableName,
        Key: keys.alertOnce(h.accountId, "FAILURE", "BNBUSDT", "4h", candle),
      }),
    );
    expect(slot.Item).toBeUndefined();
    expect(h.stack.sns.published).toEqual([]);
  });

  it.each([
    ["0"],
    ["2025"],
    ["May 18 2025"],
    ["2025-05-18T20:00:00"],
    ["2025-05-18 20:00:00Z"],
    ["2025-02-30T00:00:00Z"],
    ["-271821-04-20T00:00:00.000Z"],
    [1747598400000],
  ])("takes scheduledTime only as strict ISO-8601 UTC (%s)", async (scheduledTime) => {
    const result = (await h.run({
      symbol: "BNBUSDT",
      timeframe: "4h",
      scheduledTime,
      accountId: h.accountId,
    })) as CycleResult;
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ type: "InvalidRequestError", retryable: false });
    expect(result.error?.message).toContain("scheduledTime must be an ISO-8601 UTC time");
    expect(await h.repository.loadState(h.accountId)).toBeUndefined();
  });

  it("refuses a symbol quoted in another asset than the account's, naming both, before touching the account", async () => {
    h.stack.binance.serve("ETHBNB", "4h", h.stack.binance.servedCandles("BNBUSDT", "4h"), {
      ...BNBUSDT_INFO,
      baseAsset: "ETH",
      quoteAsset: "BNB",
    });
    await h.handler(h.event(BUY)); // the account holds BNB from an open BNBUSDT position
    const before = await h.repository.loadState(h.accountId);
    const outcome = await h.run({ ...h.event(BUY + 1), symbol: "ETHBNB" });
    expect(thrown(outcome)).toBe(false);
    const result = outcome as CycleResult;
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ type: "ForeignQuoteAssetError", retryable: false });
    expect(result.error?.message).toContain("ETHBNB is quoted in BNB, but the account holds USDT");
    expect(await h.repository.loadState(h.accountId)).toEqual(before);
    expect(h.stack.sns.published.map((m) => m.attributes.event)).toEqual(["entry", "failure"]);
  });

  it("trades live only the pairs the watchlist schedules; a dry run of any pair is allowed", async () => {
    h.stack.binance.serve("SOLUSDT", "4h", h.stack.binance.servedCandles("BNBUSDT", "4h"), {
      ...BNBUSDT_INFO,
      baseAsset: "SOL",
    });
    const outcome = await h.run({ ...h.event(BUY), symbol: "SOLUSDT" });
    expect(thrown(outcome)).toBe(false);
    expect((outcome as CycleResult).error).toMatchObject({ type: "UnscheduledPairError", retryable: false });
    expect((outcome as CycleResult).error?.message).toContain(
      `SOLUSDT 4h (account ${h.accountId}) is not in the watchlist`,
    );
    expect(await h.repository.loadState(h.accountId)).toBeUndefined();
    // An invalid event: counted as one, no failure alert, nothing in the store, late or not.
    expect(h.stack.sns.published).toEqual([]);
    expect(await h.outbox.pendingAlerts(h.accountId, 10)).toEqual([]);
    expect(emf().some((m) => m.InvalidEvents === 1)).toBe(true);
    const late = await h.run({ ...h.event(BUY - 100), symbol: "SOLUSDT" });
    expect((late as CycleResult).error).toMatchObject({ type: "UnscheduledPairError" });
    expect(await h.repository.cycleNotes(h.accountId)).toEqual([]);
    const dry = (await h.run({ ...h.event(BUY), symbol: "SOLUSDT", dryRun: true })) as CycleResult;
    expect(dry).toMatchObject({ status: "ok", entry: { quantity: "1.567" } });
  });

  it("names, in the result and a metric, open positions whose pair the watchlist no longer schedules", async () => {
    await h.repository.openAccount(h.accountId, dec("10000"), new Date(), "USDT");
    await h.repository.commitCycle(
      commit({
        cycle: cycle({ accountId: h.accountId, symbol: "SOLUSDT", candleTime: Date.now() - H4 }),
        position: { kind: "put", position: position({ symbol: "SOLUSDT", baseAsset: "SOL" }) },
      }),
    );
    const result = await h.handler(h.event(BUY + 1));
    expect(result.unmanagedPositions).toEqual(["SOLUSDT 4h"]);
    expect(emf().find((m) => m.UnmanagedPositions !== undefined)?.UnmanagedPositions).toBe(1);
  });

  it("keeps managing the exits of a symbol Binance stopped trading, and opens nothing there", async () => {
    await h.handler(h.event(BUY));
    const candles = h.stack.binance.servedCandles("BNBUSDT", "4h");
    h.stack.binance.serve("BNBUSDT", "4h", candles, { ...BNBUSDT_INFO, status: "BREAK" });
    try {
      const stopped = await h.handler(h.event(STOPPED));
      expect(stopped.exits.map((e) => [e.reason, e.price])).toEqual([["stop", "606.97"]]);
      expect(stopped.position).toBeNull();
      // The BUY window again (a dry run, on a fresh account): no entry while Binance does not trade the symbol.
      h.accountId = "paper";
      vi.setSystemTime(Date.parse(h.scheduled(BUY)) + 5_000);
      const buy = await h.handler(h.event(BUY, { dryRun: true }));
      expect(buy.signal?.action).toBe("BUY");
      expect(buy.entry).toBeNull();
      expect(buy.entrySkipped).toBe("Binance lists BNBUSDT as BREAK, not TRADING");
    } finally {
      h.stack.binance.serve("BNBUSDT", "4h", candles, BNBUSDT_INFO);
    }
  });

  it("refuses a broken price, naming the candle, and commits nothing", async () => {
    const candles = h.stack.binance.servedCandles("BNBUSDT", "4h");
    const broken = candles.map((c, i) => (i === BUY ? { ...c, open: 0, low: 0 } : c));
    h.stack.binance.serve("BNBUSDT", "4h", broken, BNBUSDT_INFO);
    try {
      const outcome = await h.run(h.event(BUY));
      const error = (outcome as { thrown: Error & { result?: CycleResult } }).thrown;
      expect(error.result?.error?.type).toBe("MalformedResponseError");
      expect(error.result?.error?.message).toMatch(
        /open time \d{4}-\d\d-\d\dT\d\d:00:00.000Z\): open 0 is not a positive price/,
      );
      expect(await h.repository.loadState(h.accountId)).toBeUndefined();
    } finally {
      h.stack.binance.serve("BNBUSDT", "4h", candles, BNBUSDT_INFO);
    }
  });

  it("sizes with Binance's finest precision when a filter is disabled (step 0), not with 30 invented decimals", async () => {
    const candles = h.stack.binance.servedCandles("BNBUSDT", "4h");
    h.stack.binance.serve("BNBUSDT", "4h", candles, {
      ...BNBUSDT_INFO,
      tickSize: "0.00000000",
      stepSize: "0.00000000",
    });
    try {
      const result = await h.handler(h.event(BUY));
      expect(result.entry?.quantity).toMatch(/^1\.567\d{0,5}$/);
      for (const price of [
        result.position?.stopLoss,
        result.position?.takeProfit1,
        result.position?.takeProfit2,
      ]) {
        expect(price).toMatch(/^\d+(\.\d{1,8})?$/);
      }
    } finally {
      h.stack.binance.serve("BNBUSDT", "4h", candles, BNBUSDT_INFO);
    }
  });

  it("answers what retrying cannot fix, alerting once, and throws what it can", async () => {
    const unknown = await h.run({ ...h.event(BUY), symbol: "NOSUCHUSDT", dryRun: false });
    // Not in the watchlist either: the dry run reaches Binance, which does not list it.
    expect(thrown(unknown)).toBe(false);
    const dry = (await h.run({ ...h.event(BUY), symbol: "NOSUCHUSDT", dryRun: true })) as CycleResult;
    expect(dry.error).toMatchObject({ type: "InvalidSymbolError", retryable: false });
    h.stack.binance.fail({ kind: "status", status: 503 }, 100);
    const down = await h.run(h.event(BUY));
    expect(thrown(down)).toBe(true);
    expect((down as { thrown: Error & { result?: CycleResult } }).thrown.result?.error?.retryable).toBe(true);
    // The unscheduled pair was an invalid event: no alert; Binance down: one, saying it is tried again.
    expect(h.stack.sns.published.map((m) => m.attributes.event)).toEqual(["failure"]);
    expect(h.stack.sns.published[0]?.message).toContain(
      "Nothing was written for this candle. The cycle is tried again",
    );
  });
});
