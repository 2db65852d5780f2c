import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLocalConfig } from "../../cli/local/local-config.ts";
import { createLocalCycle } from "../../cli/local/local-cycle.ts";
import { openLocalStore } from "../../cli/local/local-store.ts";
import { scheduledEvent } from "../../shared/adapters/config/watchlist.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { BinanceTestServer, BNBUSDT_INFO } from "../helpers/binance-test-server.ts";
import { closeOf, HOUR, hourlyCandles, T0 } from "../helpers/hourly-market.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

// The real 4h candles, one hour apart: traded as BNBUSDT 1h by ma-distance, a trade every few dozen candles.
const candles = hourlyCandles;
// Sessions run an hour of market a few milliseconds: Binance's per-minute weight is not theirs to keep.
const FAST_WEIGHT = "1000000";
const at = (i: number) => new Date(closeOf(i)).toISOString().slice(0, 16).replace("T", " ");

let server: BinanceTestServer;
beforeAll(async () => {
  server = await BinanceTestServer.start();
  server.serve("BNBUSDT", "1h", candles);
  // A second market: the same real candles 200 hours further on, at the same times, scaled.
  const eth = candles.map((c, i) => {
    const s = candles[(i + 200) % candles.length] as Candle;
    return {
      ...s,
      openTime: c.openTime,
      open: s.open * 3,
      high: s.high * 3,
      low: s.low * 3,
      close: s.close * 3,
    };
  });
  server.serve("ETHUSDT", "1h", eth, { ...BNBUSDT_INFO, baseAsset: "ETH" });
});
afterAll(async () => server.close());

interface Session {
  readonly dir: string;
  readonly config: string;
}

function newSession(params: Record<string, number> = {}, symbols = ["BNBUSDT"]): Session {
  const dir = mkdtempSync(join(tmpdir(), "live-report-"));
  const session = { dir, config: join(dir, "cdk.json") };
  configure(session, params, symbols);
  return session;
}

function configure(session: Session, params: Record<string, number>, symbols = ["BNBUSDT"]) {
  const watchlist = symbols.map((symbol) => ({
    symbol,
    timeframes: ["1h"],
    strategy: "ma-distance",
    params,
  }));
  writeFileSync(session.config, JSON.stringify({ context: { tradingBot: { watchlist } } }));
}

/**
 * What `npm start` does at each close, in this process and without the waiting: the local cycle
 * (the same code and adapters as the runner), the persisted embedded store, Binance on loopback.
 * `before(i)` runs before the cycle of candle i (to inject a fault), `after(i)` once it ended.
 */
async function run(
  session: Session,
  from: number,
  to: number,
  hooks: { before?: (i: number) => void; after?: (i: number) => void } = {},
) {
  const env = { BINANCE_BASE_URL: server.url, BINANCE_WEIGHT_PER_MINUTE: FAST_WEIGHT };
  const config = readLocalConfig(session.config, env);
  const fast = {
    ...config,
    binance: { ...config.binance, maxAttempts: 2, backoffBaseMs: 1, backoffMaxMs: 2 },
  };
  const store = await openLocalStore({ memory: false, dataDir: session.dir });
  let now = closeOf(from);
  const clock = { now: () => now, sleepUntil: async () => {} };
  const local = createLocalCycle({ store, config: fast, clock, pretty: true, env: {}, write: () => {} });
  const statuses: string[] = [];
  try {
    for (let i = from; i <= to; i++) {
      now = closeOf(i) + 2_000;
      server.now = () => now;
      hooks.before?.(i);
      // The pairs closing now, one after the other in watchlist order, as the runner runs them.
      for (const pair of config.settings.pairs) {
        const result = await local.run({
          ...scheduledEvent(pair),
          scheduledTime: new Date(closeOf(i)).toISOString(),
        });
        statuses.push(result.status);
      }
      hooks.after?.(i);
    }
  } finally {
    server.now = Date.now;
    await store.close();
  }
  return statuses;
}

async function report(session: Session, ...args: string[]) {
  const out = await runCliAsync("report", ["--config", session.config, "--data-dir", session.dir, ...args], {
    BINANCE_BASE_URL: server.url,
    BINANCE_WEIGHT_PER_MINUTE: FAST_WEIGHT,
  });
  return { ...out, json: args.includes("--json") && out.stdout ? JSON.parse(out.stdout) : undefined };
}

describe("npm run report: live against the backtest on the real account", () => {
  it("finds no divergence in a session with no gap, fill for fill, and writes the same as HTML", async () => {
    const session = newSession();
    await run(session, 300, 440);
    const text = await report(session, "--html", "live.html");
    expect(text.stderr).toBe("");
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(
      "No divergence: live equals the backtest fill for fill, and every live cycle replays exactly.",
    );
    expect(text.stdout).toContain("Times: UTC, each cycle and fill at its candle's close.");
    expect(text.stdout).toContain(
      "Fidelity: 141 live cycle(s) replayed, each from the state the ledger had before it: 141 equal",
    );
    expect(text.stdout).toContain("Fills: 6 live, 6 in the backtest, 6 equal");
    expect(text.stdout).toContain("141 live cycle(s) of 141");
    const html = readFileSync(join(session.dir, "reports", "live.html"), "utf8");
    expect(html).toContain("No divergence");
    expect(html).toContain("as live used them: tick 0.01000000, step 0.00100000");
    expect(text.stdout).toContain("Exchange filters: those each live cycle sized with, as recorded");
    const { json, status } = await report(session, "--json");
    expect(status).toBe(0);
    expect(json.fills).toEqual({ live: 6, backtest: 6, equal: 6 });
    expect(json.divergences).toEqual([]);
    expect(json.fidelity).toMatchObject({ checked: 141, equal: 141, findings: [] });
    expect(json.path.backtestEquity).toBe(json.path.liveEquity);
    // One time convention: a pair's period and every fill at its candle's close.
    expect(json.pairs[0]).toMatchObject({
      firstClose: new Date(closeOf(300)).toISOString(),
      lastClose: new Date(closeOf(440)).toISOString(),
    });
    expect(html).toContain(`<td>${at(300)} UTC</td><td>${at(440)} UTC</td>`);
    // --fills lists every fill, equal ones too, each with its pair and its candle's close.
    const listed = await report(session, "--fills");
    const equalLines = listed.stdout
      .split("\n")
      .filter((l) => l.includes("BNBUSDT 1h") && l.includes(": equal, "));
    expect(equalLines).toHaveLength(6);
    expect(equalLines[0]).toMatch(
      /^ {2}\d{4}-\d\d-\d\d \d\d:00 UTC {2}BNBUSDT 1h {2}BUY entry: equal, \d+\.\d{3} @ \d+\.\d\d fee /,
    );
    expect(json.pairs[0].settings).toMatchObject({
      strategy: "ma-distance",
      "params.maPeriod": "20",
      feeRate: "0.001",
    });
  }, 60_000);

  it("replays an account of two pairs sharing one balance and the position limit: no divergence", async () => {
    const session = newSession({}, ["BNBUSDT", "ETHUSDT"]);
    await run(session, 300, 440);
    const { json, status } = await report(session, "--json");
    expect(status).toBe(0);
    expect(json.pairs.map((p: { symbol: string }) => p.symbol)).toEqual(["BNBUSDT", "ETHUSDT"]);
    expect(json.divergences).toEqual([]);
    expect(json.fills.live).toBeGreaterThan(6); // both pairs traded
    expect(json.fills).toEqual({ live: json.fills.live, backtest: json.fills.live, equal: json.fills.live });
  }, 60_000);

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
        if (i === 370) server.fail({ kind: "status", status: 503 }, 20);
      },
      after: () => server.clearFaults(),
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

  it("sizes the replay with the exchange filters each live cycle used, not today's (Binance changed the lot step mid-way)", async () => {
    const session = newSession();
    const coarse = { ...BNBUSDT_INFO, stepSize: "0.01000000", minQty: "0.01000000" };
    try {
      await run(session, 300, 365); // sized with a step of 0.001
      server.serve("BNBUSDT", "1h", candles, coarse);
      await run(session, 366, 440); // then 0.01, as Binance serves today
      const { json, status } = await report(session, "--json");
      expect(status).toBe(0);
      expect(json.divergences).toEqual([]);
      expect(json.pairs[0].filters).toMatchObject({ source: "records", stepSize: "0.01000000" });
      expect((await report(session)).stdout).toContain(
        "Exchange filters: those each live cycle sized with, as recorded",
      );
      // Both steps are in the ledger: entries before the change on 0.001, after it on 0.01.
      const ledger = await runCliAsync(
        "status",
        ["--config", session.config, "--data-dir", session.dir, "--json", "--trades", "100"],
        { BINANCE_BASE_URL: server.url },
      );
      const entries = (
        JSON.parse(ledger.stdout).trades as { reason: string; quantity: string; candleTime: string }[]
      ).filter((t) => t.reason === "entry");
      const decimals = (q: string) => q.split(".")[1]?.length ?? 0;
      const changed = T0 + 366 * HOUR;
      const before = entries.filter((t) => Date.parse(t.candleTime) < changed);
      const after = entries.filter((t) => Date.parse(t.candleTime) >= changed);
      expect(before.some((t) => decimals(t.quantity) === 3)).toBe(true);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((t) => decimals(t.quantity) <= 2)).toBe(true);
      expect(json.fills.equal).toBe(json.fills.live);
    } finally {
      server.serve("BNBUSDT", "1h", candles);
    }
  }, 60_000);

  it("names a candle Binance now serves differently, with both values, instead of calling it unexplained", async () => {
    const session = newSession();
    await run(session, 300, 380);
    const original = server.servedCandles("BNBUSDT", "1h");
    const was = original[370] as Candle;
    const changed = original.map((c, i) =>
      i === 370 ? { ...c, close: c.close - 1, low: Math.min(c.low, c.close - 1) } : c,
    );
    server.serve("BNBUSDT", "1h", changed);
    try {
      const { stdout, status } = await report(session);
      expect(status).toBe(0);
      expect(stdout).toContain(
        `${at(370)} UTC  BNBUSDT 1h  Binance now serves another BNBUSDT 1h candle closed ${at(370)} UTC: recorded O ${was.open} H ${was.high} L ${was.low} C ${was.close} V ${was.volume}, now O ${was.open} H ${was.high} L ${Math.min(was.low, was.close - 1)} C ${was.close - 1} V ${was.volume}`,
      );
      expect(stdout).not.toContain("UNEXPLAINED");
    } finally {
      server.serve("BNBUSDT", "1h", original);
    }
  }, 60_000);

  it("says clearly when the account does not exist, and writes nothing", async () => {
    const session = newSession();
    const { status, stderr } = await report(session, "--account", "nobody");
    expect(status).toBe(2);
    expect(stderr).toContain('no paper account "nobody"');
    expect(stderr).not.toContain("    at ");
  }, 60_000);
});
