import { describe, expect, it } from "vitest";
import { toCandleSeries } from "../../../shared/domain/market/candle-series.ts";
import {
  STRATEGIES as REGISTERED,
  STRATEGIES,
  strategyNamed,
} from "../../../shared/domain/strategies/registry.ts";
import { checkEntryPlan } from "../../../shared/domain/trading/entry-plan.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";

/** The registry's strategies as errors list them (a strategy added by the tutorial is in it too). */
const NAMES = REGISTERED.map((s) => s.name).join(", ");

describe("the strategy registry", () => {
  it("holds the four built-in strategies (and any added, each once), each with documented, bounded parameters", () => {
    const names = STRATEGIES.map((s) => s.name);
    expect(names.slice(0, 4)).toEqual(["fibonacci-golden-zone", "ma-distance", "buy-and-hold", "dca"]);
    expect(new Set(names).size).toBe(names.length);
    for (const strategy of STRATEGIES) {
      expect(strategy.version).toMatch(/^\d+\.\d+\.\d+$/);
      for (const [name, spec] of Object.entries(strategy.params)) {
        expect(spec.doc, name).not.toBe("");
        if (spec.default !== undefined) {
          expect(spec.default).toBeGreaterThanOrEqual(spec.min ?? Number.NEGATIVE_INFINITY);
          expect(spec.default).toBeLessThanOrEqual(spec.max ?? Number.POSITIVE_INFINITY);
        }
      }
    }
  });

  it.each([
    [() => strategyNamed("nope"), `unknown strategy "nope"; the strategies: ${NAMES}`],
    [
      () => strategyNamed("dca", { often: "2" }),
      'unknown parameter "often"; its parameters: quoteAmount, every',
    ],
    [() => strategyNamed("dca", { every: "1.5" }), "every must be a whole number"],
    [() => strategyNamed("dca", { every: "0" }), "every must be between 1 and 10000, got 0"],
    [() => strategyNamed("ma-distance", { buyThreshold: "x" }), 'buyThreshold must be a number, got "x"'],
    [
      () => strategyNamed("fibonacci-golden-zone", { zoneLow: 0.7 }),
      "zoneLow (0.7) is above zoneHigh (0.618)",
    ],
  ])("refuses what it cannot run, naming it (%#)", (make, message) => {
    expect(make).toThrowError(message);
  });

  it("gives every BUY a plan the exits can follow, on every window of the 4h fixture", () => {
    const series = toCandleSeries(fixtureCandles("BNBUSDT-4h"));
    for (const strategy of STRATEGIES.map((s) => strategyNamed(s.name))) {
      let buys = 0;
      for (let last = 299; last < series.length; last++) {
        const signal = strategy.evaluate(series, last, 300);
        if (signal.action !== "BUY") continue;
        buys++;
        expect(signal.plan, strategy.name).toBeDefined();
        if (signal.plan) checkEntryPlan(signal.plan);
      }
      expect(buys, strategy.name).toBeGreaterThan(0);
    }
  });
});
