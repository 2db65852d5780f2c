import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Candle } from "../../../shared/domain/market/candle.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { ACTIVE, causeKinds, closeOf, LiveSession } from "../../helpers/live-session.ts";

const START = 30;
const END = 110;

/** One generated session: which faults and changes were injected, and where. */
const sessions = fc.record({
  third: fc.option(fc.integer({ min: 50, max: 90 }), { nil: undefined }), // XRPUSDT added at this close
  settingsAt: fc.option(fc.integer({ min: 45, max: 95 }), { nil: undefined }), // the 1h stake raised
  killed: fc.option(
    fc.record({ from: fc.integer({ min: 40, max: 90 }), length: fc.integer({ min: 1, max: 12 }) }),
    { nil: undefined },
  ),
  failAt: fc.option(fc.integer({ min: 35, max: 105 }), { nil: undefined }), // Binance 503 for BNBUSDT
  changedCandle: fc.option(fc.integer({ min: 40, max: 105 }), { nil: undefined }), // ETHUSDT's candle served otherwise
  editFill: fc.option(fc.nat(), { nil: undefined }), // the n-th fill's price edited in the ledger
});

describe("npm run report's causes are exactly the injected ones (generated sessions)", () => {
  it("missed, failed, settings, candles changed, ledger edited: each found where injected, nothing else, nothing unexplained", async () => {
    await fc.assert(
      fc.asyncProperty(sessions, async (s) => {
        const session = new LiveSession();
        const killed = s.killed
          ? { from: s.killed.from, to: s.killed.from + s.killed.length - 1 }
          : undefined;
        const runs = (i: number) => !killed || i < killed.from || i > killed.to;
        const expected = new Set<string>();
        if (s.failAt !== undefined && runs(s.failAt)) {
          session.failAt("BNBUSDT", s.failAt);
          expected.add("failed");
        }
        if (killed) expected.add("missed");
        for (let i = START; i <= END; i++) {
          const symbols = [
            "BNBUSDT",
            "ETHUSDT",
            ...(s.third !== undefined && i >= s.third ? ["XRPUSDT"] : []),
          ];
          const stake = s.settingsAt !== undefined && i >= s.settingsAt ? "0.1" : "0.05";
          session.configure({ symbols, params: ACTIVE, stake });
          if (runs(i)) await session.run(i, i);
        }
        // A stake change shows where a pair that ran before it runs again after it.
        if (s.settingsAt !== undefined && (!killed || s.settingsAt <= killed.to || killed.from > START))
          expected.add("settings");
        const changed = s.changedCandle !== undefined && runs(s.changedCandle) ? s.changedCandle : undefined;
        if (changed !== undefined) expected.add("candles-changed");
        const trades = (await session.repository.listTrades("paper", { limit: 1000 })).items;
        const edited =
          s.editFill !== undefined && trades.length > 0 ? trades[s.editFill % trades.length] : undefined;
        if (edited) expected.add("ledger-edited");
        const report = await session.report({
          serve: (symbol, candles) =>
            symbol === "ETHUSDT" && changed !== undefined
              ? candles.map((c, j): Candle => (j === changed ? { ...c, volume: c.volume + 1 } : c))
              : candles,
          editTrades: (all) =>
            all.map((t) => (t === edited ? { ...t, price: t.price.plus(dec("0.01")) } : t)),
        });
        expect(report.unexplainedCycles).toBe(0);
        expect(report.unexplainedFills).toBe(0);
        expect(causeKinds(report)).toEqual([...expected].sort());
        if (changed !== undefined)
          expect(report.fidelity.findings.find((f) => f.kind === "candles-changed")?.candle?.openTime).toBe(
            closeOf(changed) - 3_600_000,
          );
      }),
      { numRuns: 60, seed: 22, endOnFailure: true },
    );
  }, 300_000);
});
