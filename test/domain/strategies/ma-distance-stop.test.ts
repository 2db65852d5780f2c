import { describe, expect, it } from "vitest";
import { toCandleSeries } from "../../../shared/domain/market/candle-series.ts";
import { strategyNamed } from "../../../shared/domain/strategies/registry.ts";

describe("ma-distance's stop, in decimals", () => {
  it("is the close less stopLossPct % exactly (1874 × 0.985 = 1845.89, not 1845.8899…)", () => {
    const candles = Array.from({ length: 30 }, (_, i) => {
      const close = i < 29 ? 2000 : 1874;
      return { openTime: i * 3_600_000, open: close, high: close, low: close, close, volume: 1 };
    });
    const signal = strategyNamed("ma-distance", {
      maPeriod: 20,
      buyThreshold: -5,
      stopLossPct: 1.5,
    }).evaluate(toCandleSeries(candles), 29, 30);
    expect(signal.action).toBe("BUY");
    expect(signal.plan?.stopLoss).toBe(1845.89);
  });
});
