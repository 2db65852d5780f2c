import type { CandleSeries } from "../../market/candle-series.ts";
import { meanAt, rsiAt, rsiWilderAt } from "../indicators.ts";
import type { Confirmation } from "../signal.ts";
import type { StrategyParams } from "./params.ts";

export const BULLISH: ReadonlySet<Confirmation> = new Set([
  "RSI_BULLISH_DIVERGENCE",
  "VOLUME_SPIKE",
  "BULLISH_ENGULFING",
  "HAMMER",
]);
export const BEARISH: ReadonlySet<Confirmation> = new Set([
  "RSI_BEARISH_DIVERGENCE",
  "VOLUME_SPIKE",
  "BEARISH_ENGULFING",
  "SHOOTING_STAR",
]);

/** The confirmations found at the window's last candle, in the reference's order. */
export function findConfirmations(
  series: CandleSeries,
  start: number,
  end: number,
  params: StrategyParams,
): Confirmation[] {
  const found: Confirmation[] = [];
  const i = end - 1;
  const back = i - params.divergenceLookback;
  if (back < start) return found;
  const { open, high, low, close, volume } = series;
  const c = close[i] as number;
  const o = open[i] as number;

  const rsi = params.rsiWilder === 1 ? rsiWilderAt : rsiAt;
  const rsiNow = rsi(close, start, i, params.rsiPeriod);
  const rsiBack = rsi(close, start, back, params.rsiPeriod);
  const closeBack = close[back] as number;
  if (c < closeBack && rsiNow > rsiBack) found.push("RSI_BULLISH_DIVERGENCE");
  else if (c > closeBack && rsiNow < rsiBack) found.push("RSI_BEARISH_DIVERGENCE");

  if ((volume[i] as number) > params.volumeFactor * meanAt(volume, start, i, params.volumePeriod)) {
    found.push("VOLUME_SPIKE");
  }

  const po = open[i - 1] as number;
  const pc = close[i - 1] as number;
  if (pc < po && c > o && c > po && o < pc) found.push("BULLISH_ENGULFING");
  else if (pc > po && c < o && o > pc && c < po) found.push("BEARISH_ENGULFING");

  const body = Math.abs(c - o);
  const lower = Math.min(o, c) - (low[i] as number);
  const upper = (high[i] as number) - Math.max(o, c);
  if (body > 0 && lower > 2 * body && upper < body) found.push("HAMMER");
  else if (body > 0 && upper > 2 * body && lower < body) found.push("SHOOTING_STAR");
  return found;
}
