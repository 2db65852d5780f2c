import { describe, expect, it } from "vitest";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { parseRiskSettings } from "../../../shared/domain/trading/risk-config.ts";
import { ACTIVE, LiveSession } from "../../helpers/live-session.ts";

// Aggressive enough that on these candles each protection engages in the first stretch.
const RISK = parseRiskSettings(
  {
    slippageBps: 5,
    trailingStop: { activationPct: 1, distancePct: 0.5 },
    riskPerTradePct: 1,
    protections: {
      cooldownCandles: 2,
      stopLossGuard: { stops: 2, lookbackCandles: 24, pauseCandles: 6, scope: "account" },
      maxDrawdown: { pct: 0.5, lookbackCandles: 24, pauseCandles: 4 },
      dailyLossPct: 0.4,
    },
  },
  "the test's risk",
);

describe("npm run report on a session whose protections engaged", () => {
  it("replays every cycle to the last digit: the protections' state is the cycle's own, no divergence", async () => {
    const session = new LiveSession().configure({
      symbols: ["BNBUSDT", "ETHUSDT"],
      params: ACTIVE,
      stake: "0.3",
      risk: RISK,
    });
    await session.run(30, 90);
    await session.run(94, 160); // three closes missed: the trailing stops and locks catch up
    const engaged = new Set<string>();
    const blocked = new Set<string>();
    for (const symbol of ["BNBUSDT", "ETHUSDT"]) {
      for (const r of (await session.repository.cycleHistory("paper", symbol, "1h", { limit: 1000 })).items) {
        for (const e of r.outcome.protections?.engaged ?? []) engaged.add(e.split(" ")[0] as string);
        if (r.outcome.protections?.blockedEntry) blocked.add(r.outcome.protections.blockedEntry);
      }
    }
    expect([...engaged].sort()).toEqual(["cooldown", "dailyLossLimit", "maxDrawdown", "stopLossGuard"]);
    expect(blocked.size).toBeGreaterThan(0);

    const report = await session.report();
    expect(report.fidelity.findings).toEqual([]);
    expect(report.unexplainedCycles + report.unexplainedFills).toBe(0);
    expect(report.fidelity.equal.get("BNBUSDT 1h")).toBe(128);
    expect(report.fidelity.equal.get("ETHUSDT 1h")).toBe(128);
    expect(report.events.map((e) => [e.kind, e.symbol, e.cycles])).toEqual([
      ["missed", "BNBUSDT", 3],
      ["missed", "ETHUSDT", 3],
    ]);
    expect(report.replayedEquity.eq(report.liveEquity)).toBe(true);
    // What the missed closes changed is theirs: every fill that differs from the uninterrupted backtest names one.
    const differing = report.fills.filter((f) => f.differs.length > 0);
    expect(differing.length).toBeGreaterThan(0);
    for (const f of differing) expect(f.cause).toMatch(/^missed cycle .*, (BNBUSDT|ETHUSDT) 1h$/);
    const ledger = (await session.repository.listTrades("paper", { limit: 1000 })).items;
    expect(ledger.filter((t) => t.reason === "trailing-stop").length).toBeGreaterThan(0);
    expect(report.liveEquity.gt(dec(0))).toBe(true);
  }, 60_000);
});
