import { InvalidCandlesError } from "../errors.ts";
import type { Candle } from "./candle.ts";

/**
 * Candles as columns, validated once, so the strategy can evaluate any window of them
 * without copying (the hot path of the backtest and the benchmark).
 */
export interface CandleSeries {
  readonly length: number;
  readonly openTime: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

const PRICE_FIELDS = ["open", "high", "low", "close", "volume"] as const;

/**
 * Validates candles (oldest first) and stores them as columns.
 * @param describeRow how an error names a row, e.g. "line 12 of x.csv"; defaults to "candle #i".
 * @throws InvalidCandlesError naming the row and the problem.
 */
export function toCandleSeries(
  candles: readonly Candle[],
  describeRow: (index: number) => string = (index) => `candle #${index}`,
): CandleSeries {
  const n = candles.length;
  const series: CandleSeries = {
    length: n,
    openTime: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const candle = candles[i] as Candle;
    const where = describeRow(i);
    if (!Number.isSafeInteger(candle.openTime)) {
      throw new InvalidCandlesError(`${where}: open time ${String(candle.openTime)} is not a timestamp`);
    }
    for (const field of PRICE_FIELDS) {
      const value = candle[field];
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new InvalidCandlesError(`${where}: ${field} ${String(value)} is not a finite number`);
      }
      if (value < 0) throw new InvalidCandlesError(`${where}: ${field} ${value} is negative`);
    }
    if (candle.high < candle.low) {
      throw new InvalidCandlesError(`${where}: high ${candle.high} is below low ${candle.low}`);
    }
    if (i > 0) {
      const previous = series.openTime[i - 1] as number;
      if (candle.openTime === previous) {
        throw new InvalidCandlesError(`${where}: duplicate open time ${new Date(previous).toISOString()}`);
      }
      if (candle.openTime < previous) {
        throw new InvalidCandlesError(
          `${where}: open time ${new Date(candle.openTime).toISOString()} is before the previous candle's`,
        );
      }
    }
    series.openTime[i] = candle.openTime;
    series.open[i] = candle.open;
    series.high[i] = candle.high;
    series.low[i] = candle.low;
    series.close[i] = candle.close;
    series.volume[i] = candle.volume;
  }
  return series;
}
