/**
 * Indicators over a window [start, end) of a column, computed only where the strategy reads
 * them, in the same floating-point order as the reference so that comparisons agree exactly.
 */

/** Last value of the EMA seeded with the window's first value: ema = α·x + (1−α)·ema. */
export function lastEma(values: Float64Array, start: number, end: number, span: number): number {
  const alpha = 2 / (span + 1);
  const keep = 1 - alpha;
  let ema = values[start] as number;
  for (let i = start + 1; i < end; i++) ema = alpha * (values[i] as number) + keep * ema;
  return ema;
}

/**
 * RSI with simple averages at index `at`; the window's first candle has no change (gain = loss = 0).
 * NaN where undefined: fewer than `period` values, or no gain and no loss.
 */
export function rsiAt(close: Float64Array, start: number, at: number, period: number): number {
  const first = at - period + 1;
  if (first < start) return Number.NaN;
  let gains = 0;
  let losses = 0;
  for (let i = first; i <= at; i++) {
    if (i === start) continue;
    const delta = (close[i] as number) - (close[i - 1] as number);
    if (delta > 0) gains += delta;
    else if (delta < 0) losses -= delta;
  }
  const avgGain = gains / period;
  const avgLoss = losses / period;
  if (avgLoss === 0) return avgGain > 0 ? 100 : Number.NaN;
  return 100 - 100 / (1 + avgGain / avgLoss);
}

/**
 * RSI with Wilder's smoothing at index `at` (as TradingView, TA-Lib and StockCharts compute it): the
 * first average gain and loss are the plain means of the first `period` changes of the window
 * (from `start`), then each next change is weighed in as (previous × (period − 1) + change) / period.
 * NaN where undefined: fewer than `period` changes, or no gain and no loss.
 */
export function rsiWilderAt(close: Float64Array, start: number, at: number, period: number): number {
  if (at - start < period) return Number.NaN;
  let avgGain = 0;
  let avgLoss = 0;
  for (let i = start + 1; i <= at; i++) {
    const delta = (close[i] as number) - (close[i - 1] as number);
    const gain = Math.max(delta, 0);
    const loss = Math.max(-delta, 0);
    if (i - start <= period) {
      avgGain += gain / period;
      avgLoss += loss / period;
    } else {
      avgGain = (avgGain * (period - 1) + gain) / period;
      avgLoss = (avgLoss * (period - 1) + loss) / period;
    }
  }
  if (avgLoss === 0) return avgGain > 0 ? 100 : Number.NaN;
  return 100 - 100 / (1 + avgGain / avgLoss);
}

/** Plain mean of the `period` values ending at `at` (included); NaN when the window is shorter. */
export function meanAt(values: Float64Array, start: number, at: number, period: number): number {
  const first = at - period + 1;
  if (first < start) return Number.NaN;
  let sum = 0;
  for (let i = first; i <= at; i++) sum += values[i] as number;
  return sum / period;
}
