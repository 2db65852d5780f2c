import { describe, expect, it } from "vitest";
import type { Candle } from "../../../../shared/domain/market/candle.ts";
import { toCandleSeries } from "../../../../shared/domain/market/candle-series.ts";
import {
  evaluateWindow,
  fibonacciSignal,
} from "../../../../shared/domain/strategies/fibonacci-golden-zone/evaluate.ts";
import { strategyParams } from "../../../../shared/domain/strategies/fibonacci-golden-zone/params.ts";
import { fixtureCandles } from "../../../helpers/fixtures.ts";

const HOUR = 3_600_000;
const flat = (n: number): Candle[] =>
  Array.from({ length: n }, (_, i) => ({
    openTime: i * HOUR,
    open: 100,
    high: 101,
    low: 99,
    close: 100,
    volume: 1,
  }));

describe("fibonacciSignal", () => {
  it("holds on a flat market: the EMAs show no trend", () => {
    const signal = fibonacciSignal(flat(300));
    expect(signal).toEqual({
      action: "HOLD",
      trend: "LATERAL",
      reason: "the EMAs show no trend",
      price: 100,
    });
  });

  it("rejects fewer candles than the 200 the trend needs", () => {
    expect(() => fibonacciSignal(flat(199))).toThrowError(
      "a window of 199 candles is shorter than the 200 the trend needs",
    );
  });

  it("validates the candles it is given", () => {
    const candles = flat(300);
    candles[150] = { ...(candles[150] as Candle), low: 200 };
    expect(() => fibonacciSignal(candles)).toThrowError("candle #150: high 101 is below low 200");
  });

  it("gives the reference's BUY for the 4h window ending 2025-05-18 16:00 UTC", () => {
    const candles = fixtureCandles("BNBUSDT-4h");
    const last = candles.findIndex((c) => c.openTime === Date.UTC(2025, 4, 18, 16));
    const signal = fibonacciSignal(candles.slice(last - 299, last + 1));
    expect(signal.action).toBe("BUY");
    expect(signal.confirmations).toEqual(["RSI_BULLISH_DIVERGENCE", "VOLUME_SPIKE"]);
    expect(signal.plan).toEqual({
      entry: 638.13,
      stopLoss: 606.9722999999999,
      takeProfit1: 760.6401000000001,
      takeProfit2: 870.0901000000001,
    });
  });
});

describe("evaluateWindow's parameters", () => {
  const series = toCandleSeries(fixtureCandles("BNBUSDT-4h"));
  const count = (params = strategyParams()) => {
    let trades = 0;
    for (let last = 299; last < series.length; last++) {
      if (evaluateWindow(series, last, 300, params).action !== "HOLD") trades++;
    }
    return trades;
  };

  it("trade more with fewer confirmations required and a wider zone", () => {
    expect(count()).toBe(2);
    expect(count(strategyParams({ minConfirmations: 1 }))).toBeGreaterThan(2);
    expect(count(strategyParams({ zoneLow: 0.382, zoneHigh: 0.786 }))).toBeGreaterThan(2);
  });

  it("reject values the strategy cannot use", () => {
    expect(() => strategyParams({ emaSlow: 0 })).toThrowError("emaSlow must be a positive integer");
    expect(() => strategyParams({ zoneLow: 0.7 })).toThrowError("zoneLow (0.7) is above zoneHigh (0.618)");
    expect(() => strategyParams({ volumeFactor: Number.NaN })).toThrowError(
      "volumeFactor must be a positive number",
    );
  });

  it("reject a window that does not fit in the series", () => {
    expect(() => evaluateWindow(series, 100, 300)).toThrowError("is outside the 1906 candles given");
  });
});
