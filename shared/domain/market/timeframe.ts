/** Binance kline intervals the trading cycle runs on, with their length. */
export const TIMEFRAME_MS = {
  "15m": 15 * 60_000,
  "30m": 30 * 60_000,
  "1h": 3_600_000,
  "2h": 2 * 3_600_000,
  "4h": 4 * 3_600_000,
  "6h": 6 * 3_600_000,
  "8h": 8 * 3_600_000,
  "12h": 12 * 3_600_000,
  "1d": 86_400_000,
  "3d": 3 * 86_400_000,
  "1w": 7 * 86_400_000,
} as const;

export type Timeframe = keyof typeof TIMEFRAME_MS;
export const TIMEFRAMES = Object.keys(TIMEFRAME_MS) as Timeframe[];

export function isTimeframe(value: unknown): value is Timeframe {
  return typeof value === "string" && Object.hasOwn(TIMEFRAME_MS, value);
}

export function timeframeMs(timeframe: Timeframe): number {
  return TIMEFRAME_MS[timeframe];
}

/** When the candle opened at `openTime` closes: a fill's time, the cycle's time. */
export function closeTimeOf(openTime: number, timeframe: Timeframe): number {
  return openTime + timeframeMs(timeframe);
}

/** Binance symbols are upper-case letters and digits, e.g. BNBUSDT. */
export const SYMBOL_PATTERN = /^[A-Z0-9]{5,20}$/;

/** Binance's weekly candles open on Mondays 00:00 UTC; the epoch was a Thursday. */
const WEEK_OFFSET = 4 * 86_400_000;

/** Open time of the candle that closed last at or before `time` (epoch ms). */
export function lastClosedOpenTime(time: number, timeframe: Timeframe): number {
  const ms = timeframeMs(timeframe);
  const offset = timeframe === "1w" ? WEEK_OFFSET : 0;
  return Math.floor((time - offset) / ms) * ms + offset - ms;
}

/** True when a candle of `timeframe` may open at `openTime`: on the interval's grid (weeks on Mondays, UTC). */
export function isAlignedOpen(openTime: number, timeframe: Timeframe): boolean {
  const offset = timeframe === "1w" ? WEEK_OFFSET : 0;
  return (openTime - offset) % timeframeMs(timeframe) === 0;
}
