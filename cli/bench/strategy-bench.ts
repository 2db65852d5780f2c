import { CYCLE_CONFIG_DEFAULTS } from "../../shared/application/cycle/index.ts";
import type { CandleSeries } from "../../shared/domain/market/candle-series.ts";
import type { ConfiguredStrategy } from "../../shared/domain/strategies/strategy.ts";

/** Closed candles per evaluation, as the cycle runs them. */
const CYCLE_WINDOW = CYCLE_CONFIG_DEFAULTS.window;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Times every window of the series once per round; the figure is the median of all timings (µs). */
export function benchSignals(
  strategy: ConfiguredStrategy,
  series: CandleSeries,
  rounds: number,
): { usPerWindow: number; windows: number } {
  const windows = series.length - CYCLE_WINDOW + 1;
  if (windows < 1) throw new RangeError(`the file has fewer than ${CYCLE_WINDOW} candles`);
  const samples: number[] = [];
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    for (let w = 0; w < windows; w++) {
      const t0 = process.hrtime.bigint();
      const signal = strategy.evaluate(series, w + CYCLE_WINDOW - 1, CYCLE_WINDOW);
      samples.push(Number(process.hrtime.bigint() - t0));
      sink += signal.price;
    }
  }
  if (Number.isNaN(sink)) throw new Error("a signal had no price");
  return { usPerWindow: median(samples) / 1000, windows };
}
