/** A point of the equity curve: the account's equity at a candle's close. */
export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
}

export interface Drawdown {
  /** Largest fall from a peak, as a fraction of the peak (0.25 = 25 %). */
  readonly fraction: number;
  readonly peakTime: number | undefined;
  readonly troughTime: number | undefined;
}

export function maxDrawdown(curve: readonly EquityPoint[]): Drawdown {
  let peak = Number.NEGATIVE_INFINITY;
  let peakTime: number | undefined;
  let worst: Drawdown = { fraction: 0, peakTime: undefined, troughTime: undefined };
  for (const { time, equity } of curve) {
    if (equity > peak) {
      peak = equity;
      peakTime = time;
    }
    const fraction = peak > 0 ? (peak - equity) / peak : 0;
    if (fraction > worst.fraction) worst = { fraction, peakTime, troughTime: time };
  }
  return worst;
}

/** The equity at the end of each UTC day, then the day-to-day returns. */
export function dailyReturns(curve: readonly EquityPoint[]): number[] {
  const closes: number[] = [];
  let day = Number.NaN;
  for (const { time, equity } of curve) {
    const d = Math.floor((time - 1) / 86_400_000); // a close at 00:00 belongs to the day before
    if (d === day) closes[closes.length - 1] = equity;
    else closes.push(equity);
    day = d;
  }
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) returns.push((closes[i] as number) / (closes[i - 1] as number) - 1);
  return returns;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Annualised Sharpe ratio of daily returns (crypto trades 365 days a year); null when undefined. */
export function sharpeRatio(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  const m = mean(returns);
  const variance = returns.reduce((a, r) => a + (r - m) ** 2, 0) / (returns.length - 1);
  return variance > 0 ? (m / Math.sqrt(variance)) * Math.sqrt(365) : null;
}

/** Annualised Sortino ratio: the mean over the downside deviation (losses only, target 0). */
export function sortinoRatio(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  const downside = Math.sqrt(returns.reduce((a, r) => a + Math.min(r, 0) ** 2, 0) / returns.length);
  return downside > 0 ? (mean(returns) / downside) * Math.sqrt(365) : null;
}

/** Equity at the end of each calendar month (UTC), and each month's return on the month before (the first on the start). */
export function monthlyReturns(curve: readonly EquityPoint[]): { month: string; returnPct: number }[] {
  const ends = new Map<string, number>();
  for (const { time, equity } of curve) ends.set(new Date(time - 1).toISOString().slice(0, 7), equity);
  const out: { month: string; returnPct: number }[] = [];
  let previous = curve[0]?.equity;
  for (const [month, equity] of ends) {
    if (previous) out.push({ month, returnPct: Math.round((equity / previous - 1) * 1e6) / 1e4 });
    previous = equity;
  }
  return out;
}

/** How far below its running peak the equity is at each point (0 at a new high, −0.1 = 10 % down). */
export function underwater(curve: readonly EquityPoint[]): EquityPoint[] {
  let peak = Number.NEGATIVE_INFINITY;
  return curve.map(({ time, equity }) => {
    peak = Math.max(peak, equity);
    return { time, equity: peak > 0 ? equity / peak - 1 : 0 };
  });
}

/** Compound annual growth rate over the curve's span (null under a day). */
export function cagr(curve: readonly EquityPoint[]): number | null {
  const first = curve[0];
  const last = curve.at(-1);
  if (!first || !last || first.equity <= 0) return null;
  const years = (last.time - first.time) / (365 * 86_400_000);
  if (years < 1 / 365) return null;
  return (last.equity / first.equity) ** (1 / years) - 1;
}
