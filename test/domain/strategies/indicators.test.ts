import { describe, expect, it } from "vitest";
import { rsiAt, rsiWilderAt } from "../../../shared/domain/strategies/indicators.ts";
import { strategyNamed } from "../../../shared/domain/strategies/registry.ts";

// StockCharts' ChartSchool worked example of the 14-period RSI ("Relative Strength Index (RSI)"):
// the closes and the RSI it publishes from the 15th close on, Wilder's smoothing.
const CLOSES = [
  44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328,
  45.614, 46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515,
  45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
];
const PUBLISHED = [
  70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87,
  45.46, 37.3, 33.08, 37.77,
];

describe("RSI", () => {
  it("with Wilder's smoothing gives StockCharts' published values, to the cent", () => {
    const close = Float64Array.from(CLOSES);
    const computed = PUBLISHED.map((_, k) => Math.round(rsiWilderAt(close, 0, 14 + k, 14) * 100) / 100);
    expect(computed).toEqual(PUBLISHED);
    expect(rsiWilderAt(close, 0, 13, 14)).toBeNaN(); // 13 changes: not yet
  });

  it("with simple averages (the reference's) agrees at the seed, then differs as the window moves on", () => {
    const close = Float64Array.from(CLOSES);
    expect(Math.round(rsiAt(close, 0, 14, 14) * 100) / 100).toBe(70.53); // the same 14 changes
    expect(Math.round(rsiAt(close, 0, 32, 14) * 100) / 100).not.toBe(37.77);
  });

  it("is offered to the Fibonacci strategy as rsiWilder=1, off unless given", () => {
    expect(strategyNamed("fibonacci-golden-zone", { rsiWilder: 1 }).params.rsiWilder).toBe(1);
    expect(strategyNamed("fibonacci-golden-zone").params.rsiWilder).toBeUndefined();
    expect(() => strategyNamed("fibonacci-golden-zone", { rsiWilder: 2 })).toThrowError(
      /rsiWilder must be between 0 and 1/,
    );
  });
});
