import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { runBacktest } from "../../shared/application/backtest/run-backtest.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import type { Timeframe } from "../../shared/domain/market/timeframe.ts";
import type { ConfiguredStrategy } from "../../shared/domain/strategies/strategy.ts";
import { BNBUSDT_FILTERS } from "../backtest/backtest-data.ts";
import { median } from "./strategy-bench.ts";

const HOUR = 3_600_000;

/**
 * A year of 1h candles (plus the warm-up) made from real ones: the file's candles laid one hour
 * apart, lap after lap, each lap scaled to start where the previous one ended.
 */
export function yearOfHourlyCandles(source: readonly Candle[]): Candle[] {
  const wanted = 365 * 24 + 299;
  const candles: Candle[] = [];
  let scale = 1;
  for (let i = 0; candles.length < wanted; i++) {
    const c = source[i % source.length] as Candle;
    if (i > 0 && i % source.length === 0) scale = (candles.at(-1) as Candle).close / c.open;
    const s = (x: number) => Math.round(x * scale * 100) / 100;
    const [open, high, low, close] = [s(c.open), s(c.high), s(c.low), s(c.close)];
    candles.push({
      openTime: Date.UTC(2024, 0, 1) + candles.length * HOUR,
      open,
      high: Math.max(high, open, close),
      low: Math.min(low, open, close),
      close,
      volume: c.volume,
    });
  }
  return candles;
}

/** Median milliseconds of compute for a whole backtest (the candles already in memory). */
export async function benchBacktest(
  candles: Candle[],
  timeframe: Timeframe,
  runs = 5,
  strategies: readonly ConfiguredStrategy[] = [DEFAULT_CYCLE_CONFIG.strategy],
): Promise<number> {
  const once = async () => {
    const started = performance.now();
    for (const strategy of strategies) {
      await runBacktest({
        stores: memoryReplayStores,
        symbol: "BNBUSDT",
        timeframe,
        candles,
        firstIndex: 299,
        filters: BNBUSDT_FILTERS,
        config: { ...DEFAULT_CYCLE_CONFIG, strategy },
      });
    }
    return performance.now() - started;
  };
  for (let i = 0; i < 2; i++) await once(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return median(times);
}
