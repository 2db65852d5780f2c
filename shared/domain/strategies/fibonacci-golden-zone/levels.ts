import { type FibonacciLevels, LEVEL_RATIOS, type LevelKey } from "../signal.ts";

/**
 * The price at Fibonacci ratio `ratio` of the swing [low, high]: retracements measured from
 * the high in an uptrend (from the low in a downtrend), 1 at the far swing, extensions beyond
 * the near swing. Written exactly as the reference computes them (H − d·r, H + 0.618·d, …).
 */
export function levelAt(ratio: number, high: number, low: number, up: boolean): number {
  const d = high - low;
  if (ratio === 1) return up ? low : high;
  if (ratio < 1) return up ? high - d * ratio : low + d * ratio;
  // 1.618 − 1 is 0.6180000000000001 in binary; the reference multiplies by 0.618 itself.
  const extension = Math.round((ratio - 1) * 1e12) / 1e12;
  return up ? high + d * extension : low - d * extension;
}

export function fibonacciLevels(high: number, low: number, up: boolean): FibonacciLevels {
  const ratios = {} as Record<LevelKey, number>;
  for (const key of LEVEL_RATIOS) ratios[key] = levelAt(Number(key), high, low, up);
  return { high, low, ratios };
}
