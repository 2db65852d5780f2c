import { describe, expect, it } from "vitest";
import { BNBUSDT_FILTERS } from "../../../cli/backtest/backtest-data.ts";
import { cycleConfigOf, parseSettings } from "../../../shared/adapters/config/settings.ts";
import { memoryReplayStores } from "../../../shared/adapters/memory/memory-replay-stores.ts";
import { runBacktest } from "../../../shared/application/backtest/run-backtest.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";
import { AGGRESSIVE_RISK } from "../../helpers/risk.ts";

describe("an entry counts as blocked by a protection only when it was possible", () => {
  it("never while the pair held a position (a BUY then opens nothing whatever is in force)", async () => {
    const settings = parseSettings({
      risk: AGGRESSIVE_RISK,
      watchlist: [
        { symbol: "BNBUSDT", timeframes: ["4h"], strategy: "ma-distance", params: { maPeriod: 20 } },
      ],
    });
    const [pair] = settings.pairs;
    const run = await runBacktest({
      stores: memoryReplayStores,
      symbol: "BNBUSDT",
      timeframe: "4h",
      candles: fixtureCandles("BNBUSDT-4h"),
      firstIndex: 299,
      filters: BNBUSDT_FILTERS,
      config: { ...cycleConfigOf(settings), watchlist: undefined, strategy: pair?.strategy as never },
    });
    let blocked = 0;
    let heldBuys = 0;
    run.steps.forEach((step, k) => {
      const heldBefore =
        k > 0 && run.steps[k - 1]?.result.position !== null && step.result.exits.length === 0;
      if (step.result.signal?.action === "BUY" && heldBefore) {
        heldBuys++;
        expect(step.result.protections?.blockedEntry, step.result.candle?.closeTime).toBeUndefined();
        expect(step.result.entrySkipped).toMatch(/position is open already/);
      }
      if (step.result.protections?.blockedEntry) blocked++;
    });
    expect(heldBuys).toBeGreaterThan(0);
    expect(blocked).toBeGreaterThan(0);
  }, 60_000);
});
