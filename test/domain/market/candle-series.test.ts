import { describe, expect, it } from "vitest";
import type { Candle } from "../../../shared/domain/market/candle.ts";
import { toCandleSeries } from "../../../shared/domain/market/candle-series.ts";

const candle = (openTime: number, over: Partial<Candle> = {}): Candle => ({
  openTime,
  open: 10,
  high: 12,
  low: 9,
  close: 11,
  volume: 5,
  ...over,
});

describe("toCandleSeries", () => {
  it("stores valid candles as columns", () => {
    const series = toCandleSeries([candle(0), candle(60_000, { close: 11.5 })]);
    expect(series.length).toBe(2);
    expect(Array.from(series.close)).toEqual([11, 11.5]);
    expect(Array.from(series.openTime)).toEqual([0, 60_000]);
  });

  it.each([
    [[candle(0), candle(1, { close: Number.NaN })], "candle #1: close NaN is not a finite number"],
    [[candle(0, { high: Number.POSITIVE_INFINITY })], "candle #0: high Infinity is not a finite number"],
    [[candle(0, { high: 8 })], "candle #0: high 8 is below low 9"],
    [[candle(0), candle(0)], "candle #1: duplicate open time 1970-01-01T00:00:00.000Z"],
    [
      [candle(60_000), candle(0)],
      "candle #1: open time 1970-01-01T00:00:00.000Z is before the previous candle's",
    ],
    [[candle(0, { volume: -1 })], "candle #0: volume -1 is negative"],
    [[candle(0.5)], "candle #0: open time 0.5 is not a timestamp"],
  ])("rejects a bad window, naming the candle (%#)", (candles, message) => {
    expect(() => toCandleSeries(candles)).toThrowError(message);
  });

  it("names rows the caller's way", () => {
    expect(() => toCandleSeries([candle(0, { low: 20 })], (i) => `line ${i + 2} of x.csv`)).toThrowError(
      /^line 2 of x.csv: high 12 is below low 20$/,
    );
  });
});
