import { describe, expect, it } from "vitest";
import type { CycleRecord } from "../../../shared/application/ports/account-repository.ts";
import type { Candle } from "../../../shared/domain/market/candle.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { ACTIVE, causeKinds, closeOf, LiveSession } from "../../helpers/live-session.ts";

// The five ways the report was wrong (issue 22), each on a live session of the real cycle.

/** A candle of BNBUSDT where live was flat before and after and held: changing it can only add a trade. */
async function flatHold(session: LiveSession, from: number, to: number): Promise<number> {
  const history = (await session.repository.cycleHistory("paper", "BNBUSDT", "1h")).items;
  const byIndex = new Map(history.map((r) => [Math.round((r.candleTime - closeOf(-1)) / 3_600_000), r]));
  for (let i = from; i <= to; i++) {
    const [before, at] = [byIndex.get(i - 1), byIndex.get(i)] as (CycleRecord | undefined)[];
    if (before && at && !before.basis?.positionAfter && !at.basis?.positionAfter && at.action === "HOLD")
      return i;
  }
  throw new Error("no flat HOLD candle in the range");
}

/** The candle `i` of `candles` dropped 6 % below its open: ma-distance sees a dip and buys. */
const dip = (candles: Candle[], i: number) =>
  candles.map((c, j) => (j === i ? { ...c, close: c.open * 0.94, low: Math.min(c.low, c.open * 0.94) } : c));

describe("npm run report's comparison: the cases it got wrong", () => {
  it("1. a pair added with a new 1h stake: the first pair is replayed with its own stakes, the change is one settings event", async () => {
    const session = new LiveSession().configure({ symbols: ["BNBUSDT"], params: ACTIVE, stake: "0.05" });
    await session.run(30, 90);
    session.configure({ symbols: ["BNBUSDT", "ETHUSDT"], params: ACTIVE, stake: "0.1" });
    await session.run(91, 160);
    const report = await session.report();
    expect(report.unexplainedCycles + report.unexplainedFills).toBe(0);
    expect(report.fidelity.findings).toEqual([]);
    expect(report.fidelity.equal.get("BNBUSDT 1h")).toBe(131);
    expect(report.fidelity.equal.get("ETHUSDT 1h")).toBe(70);
    expect(report.events.map((e) => [e.kind, e.symbol, e.what])).toEqual([
      ["settings", "BNBUSDT", "settings changed (stakeFraction: 0.05 → 0.1)"],
    ]);
    expect(report.firstSettings.get("BNBUSDT 1h")?.stakeFraction).toBe("0.05");
    expect(report.firstSettings.get("ETHUSDT 1h")?.stakeFraction).toBe("0.1");
    expect(report.replayedEquity.eq(report.liveEquity)).toBe(true);
    // BNBUSDT's fills before the change equal the backtest's, to the last digit.
    const early = report.fills.filter((f) => f.symbol === "BNBUSDT" && f.candleTime < closeOf(90));
    expect(early.length).toBeGreaterThan(2);
    expect(early.every((f) => f.differs.length === 0)).toBe(true);
  }, 60_000);

  it("2. an early missed cycle does not swallow a later candle Binance now serves differently", async () => {
    const session = new LiveSession();
    await session.run(30, 39);
    await session.run(41, 160); // the close of 40 missed
    const changed = await flatHold(session, 100, 150);
    const report = await session.report({ serve: (s, c) => (s === "BNBUSDT" ? dip(c, changed) : c) });
    expect(report.events.map((e) => [e.kind, e.cycles])).toEqual([["missed", 1]]);
    const own = report.fidelity.findings.filter((f) => f.decisionDiffers);
    expect(own[0]).toMatchObject({ kind: "candles-changed", candleTime: closeOf(changed) - 3_600_000 });
    expect(own[0]?.cause).toContain(
      `candle closed ${new Date(closeOf(changed)).toISOString().slice(0, 16).replace("T", " ")} UTC`,
    );
    const later = report.fills.filter(
      (f) => f.differs.length > 0 && f.candleTime >= closeOf(changed) - 3_600_000,
    );
    expect(later.length).toBeGreaterThan(0);
    for (const f of later)
      expect(f.cause).toMatch(/^(follows from: )?Binance now serves another BNBUSDT 1h candle/);
    expect(report.unexplainedCycles + report.unexplainedFills).toBe(0);
  }, 60_000);

  it("3. a settings change explains only what the replay with it reproduces, not a BUY the data change made", async () => {
    const session = new LiveSession();
    await session.run(30, 80);
    session.configure({ symbols: ["BNBUSDT"], params: { ...ACTIVE, buyThreshold: -0.5 }, stake: "0.05" });
    await session.run(81, 160);
    const changed = await flatHold(session, 110, 155);
    const report = await session.report({ serve: (s, c) => (s === "BNBUSDT" ? dip(c, changed) : c) });
    const settings = report.events.findIndex((e) => e.kind === "settings");
    expect(report.events[settings]?.what).toBe("settings changed (params.buyThreshold: -0.8 → -0.5)");
    const buy = report.fills.find(
      (f) => f.candleTime === closeOf(changed) - 3_600_000 && f.side === "BUY" && f.differs.length > 0,
    );
    expect(buy?.cause).toMatch(/^Binance now serves another BNBUSDT 1h candle/);
    // What the settings event is given, the replay with it in force reproduces, every replay after it too.
    for (const f of report.fills.filter((r) => r.because && "event" in r.because))
      expect(f.cause).toMatch(/^settings changed/);
  }, 60_000);

  it("4. a live fill whose cycle record was removed is not a missed cycle: it is unexplained", async () => {
    const session = new LiveSession();
    await session.run(30, 160);
    const trades = (await session.repository.listTrades("paper", { limit: 1000 })).items.reverse();
    const target = trades.find(
      (t) => t.reason === "entry" && t.candleTime > closeOf(60),
    ) as (typeof trades)[0];
    const report = await session.report({
      dropRecord: (r) => r.symbol === target.symbol && r.candleTime === target.candleTime,
      editTrades: (all) => all.map((t) => (t === target ? { ...t, price: t.price.plus(dec("0.5")) } : t)),
    });
    expect(report.events.filter((e) => e.from <= target.candleTime && e.to >= target.candleTime)).toEqual([]);
    expect(report.fidelity.findings.find((f) => f.kind === "fill-without-record")).toMatchObject({
      candleTime: target.candleTime,
      cause: undefined,
    });
    const row = report.fills.find(
      (f) => f.live === target || f.live?.price.eq(target.price.plus(dec("0.5"))),
    );
    expect(row?.differs).toEqual(["price"]);
    expect(row?.cause).toBeUndefined();
    expect(report.unexplainedCycles).toBeGreaterThan(0);
  }, 60_000);

  it("5. under a divergence of one pair, every fill names its pair, and a missed stretch is one range", async () => {
    const session = new LiveSession().configure({
      symbols: ["BNBUSDT", "ETHUSDT"],
      params: ACTIVE,
      stake: "0.05",
    });
    await session.run(30, 70);
    await session.run(83, 160); // 71 to 82 missed
    const report = await session.report();
    expect(report.events.map((e) => [e.kind, e.symbol, e.from, e.to, e.cycles])).toEqual([
      ["missed", "BNBUSDT", closeOf(70), closeOf(81), 12],
      ["missed", "ETHUSDT", closeOf(70), closeOf(81), 12],
    ]);
    expect(new Set(report.fills.map((f) => f.symbol))).toEqual(new Set(["BNBUSDT", "ETHUSDT"]));
    expect(report.fills.every((f) => f.timeframe === "1h")).toBe(true);
    expect(report.unexplainedCycles + report.unexplainedFills).toBe(0);
    expect(causeKinds(report)).toEqual(["missed"]);
  }, 60_000);
});
