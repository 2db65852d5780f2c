import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { LOCAL_TABLE, openLocalStore } from "../../cli/local/local-store.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { keys } from "../../shared/adapters/dynamodb/table-definition.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { closeOf } from "../helpers/hourly-market.ts";
import {
  at,
  binance,
  configure,
  newSession,
  report,
  run,
  useReportMarket,
} from "../helpers/report-session.ts";

useReportMarket();

describe("npm run report: each cause, proven on a local-runner session", () => {
  it("with the runner stopped for a while: the exit caught up equals the backtest's; the entries the backtest made in the gap are missed cycles", async () => {
    const session = newSession({ stopLossPct: 2 });
    await run(session, 300, 332);
    await run(session, 356, 440); // stopped from the close of 333 to that of 355
    const { json, status } = await report(session, "--json");
    expect(status).toBe(0);
    expect(json.unexplained).toBe(0);
    // The position opened at 331 hit its stop at 348, in the gap: the runner exited it at the same
    // candle and price when it came back, as the backtest did.
    const stopAt348 = json.divergences.filter(
      (f: { close: string; reason: string }) =>
        f.reason === "stop" && f.close === new Date(closeOf(348)).toISOString(),
    );
    expect(stopAt348).toEqual([]);
    // The gap is one range of missed cycles, with its effect on the final equity.
    expect(json.path.events).toEqual([
      expect.objectContaining({
        kind: "missed",
        firstClose: new Date(closeOf(333)).toISOString(),
        lastClose: new Date(closeOf(355)).toISOString(),
        cycles: 23,
      }),
    ]);
    const [first] = json.divergences;
    expect(first).toMatchObject({
      close: new Date(closeOf(348)).toISOString(),
      symbol: "BNBUSDT",
      timeframe: "1h",
      side: "BUY",
      reason: "entry",
      differs: ["only backtest"],
      live: null,
      explained: true,
    });
    expect(first.cause).toMatch(/^missed cycle/);
    expect(json.fidelity.findings).toEqual([]);
    expect(json.fills.equal).toBeGreaterThanOrEqual(8); // every fill before the gap, and the stop caught up
    const { stdout } = await report(session);
    expect(stdout).toContain(`${at(333)} UTC to ${at(355)} UTC  BNBUSDT 1h  missed cycle`);
  }, 60_000);

  it("one candle whose cycle failed (Binance down) at a BUY: one divergence, explained as the failed cycle", async () => {
    const session = newSession();
    const statuses = await run(session, 300, 440, {
      before: (i) => {
        if (i === 370) binance().fail({ kind: "status", status: 503 }, 20);
      },
      after: () => binance().clearFaults(),
    });
    expect(statuses[370 - 300]).toBe("failed");
    const { json, status } = await report(session, "--json");
    expect(status).toBe(0);
    expect(json.path.events).toEqual([
      expect.objectContaining({
        kind: "failed",
        firstClose: new Date(closeOf(370)).toISOString(),
        cycles: 1,
      }),
    ]);
    expect(json.divergences.length).toBeGreaterThan(0);
    expect(json.divergences[0]).toMatchObject({
      close: new Date(closeOf(370)).toISOString(),
      side: "BUY",
      reason: "entry",
      differs: ["only backtest"],
      explained: true,
    });
    for (const d of json.divergences) expect(d.cause).toMatch(/^cycle failed/);
    // The trades before the failure are equal; live ran every other cycle as recorded.
    expect(json.fills.equal).toBeGreaterThanOrEqual(2);
    const liveCycles = json.pairs[0].liveCycles;
    expect(json.fidelity).toMatchObject({ checked: liveCycles, equal: liveCycles, findings: [] });
    expect(json.path.replayedEquity).toBe(json.path.liveEquity);
  }, 60_000);

  it("a parameter changed mid-way: the divergences after the change are explained as settings changed", async () => {
    const session = newSession();
    await run(session, 300, 365);
    configure(session, { stopLossPct: 2 });
    await run(session, 366, 440);
    const { json, status } = await report(session, "--json");
    expect(status).toBe(0);
    expect(json.divergences.length).toBeGreaterThan(0);
    for (const d of json.divergences) {
      expect(d.cause).toContain("settings changed (params.stopLossPct: none → 2)");
      expect(Date.parse(d.close)).toBeGreaterThan(closeOf(365));
    }
    expect(json.path.events).toEqual([
      expect.objectContaining({ kind: "settings", firstClose: new Date(closeOf(366)).toISOString() }),
    ]);
    expect(json.fills.equal).toBeGreaterThanOrEqual(2); // the entry at 327 and its exit at 361
  }, 60_000);

  it("names a candle Binance now serves differently, with both values, instead of calling it unexplained", async () => {
    const session = newSession();
    await run(session, 300, 380);
    const original = binance().servedCandles("BNBUSDT", "1h");
    const was = original[370] as Candle;
    const changed = original.map((c, i) =>
      i === 370 ? { ...c, close: c.close - 1, low: Math.min(c.low, c.close - 1) } : c,
    );
    binance().serve("BNBUSDT", "1h", changed);
    try {
      const { stdout, status } = await report(session);
      expect(status).toBe(0);
      expect(stdout).toContain(
        `${at(370)} UTC  BNBUSDT 1h  Binance now serves another BNBUSDT 1h candle closed ${at(370)} UTC: recorded O ${was.open} H ${was.high} L ${was.low} C ${was.close} V ${was.volume}, now O ${was.open} H ${was.high} L ${Math.min(was.low, was.close - 1)} C ${was.close - 1} V ${was.volume}`,
      );
      expect(stdout).not.toContain("UNEXPLAINED");
    } finally {
      binance().serve("BNBUSDT", "1h", original);
    }
  }, 60_000);

  it("exits 1 and says UNEXPLAINED for a ledger fill whose cycle record is gone, not 'missed cycle'", async () => {
    const session = newSession();
    await run(session, 300, 440);
    const store = await openLocalStore({ memory: false, dataDir: session.dir });
    let removed: number | undefined;
    try {
      const client = createDocumentClient(store.clientConfig);
      const repository = new DynamoDbAccountRepository({ client, tableName: LOCAL_TABLE });
      const history = (await repository.cycleHistory("paper", "BNBUSDT", "1h", { limit: 500 })).items;
      const withEntry = history.find(
        (r) => r.outcome.entry && r.candleTime > closeOf(320),
      ) as (typeof history)[0];
      removed = withEntry.candleTime;
      await client.send(
        new DeleteCommand({ TableName: LOCAL_TABLE, Key: keys.cycle("paper", "BNBUSDT", "1h", removed) }),
      );
    } finally {
      await store.close();
    }
    const { json, status } = await report(session, "--json");
    expect(status).toBe(1);
    expect(json.fidelity.findings).toContainEqual(
      expect.objectContaining({ kind: "fill-without-record", explained: false, cause: null }),
    );
    expect(json.path.events.filter((e: { kind: string }) => e.kind === "missed")).toEqual([]);
    const text = await report(session);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain("UNEXPLAINED");
    expect(text.stdout).not.toContain("missed cycle");
  }, 60_000);
});
