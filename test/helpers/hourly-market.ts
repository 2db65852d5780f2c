import type { Candle } from "../../shared/domain/market/candle.ts";
import { fixtureCandles } from "./fixtures.ts";

export const HOUR = 3_600_000;
/** The open time of the first candle. */
export const T0 = Date.UTC(2026, 0, 5);
/** The real BNBUSDT 4h candles, one hour apart from T0: the local runner's tests trade them as BNBUSDT 1h. */
export const hourlyCandles: Candle[] = fixtureCandles("BNBUSDT-4h").map((c, i) => ({
  ...c,
  openTime: T0 + i * HOUR,
}));
/** The close of candle `i`. */
export const closeOf = (i: number) => T0 + (i + 1) * HOUR;
/** The candle whose close is a Fibonacci BUY (0.783 BNB at 638.13, 2026-02-08 11:00 UTC). */
export const BUY = 826;
