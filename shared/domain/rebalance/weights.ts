import { type Decimal, dec, ZERO } from "../money/decimal.ts";
import { type Basket, candlesPerDay } from "./basket.ts";

/** A weight is kept to this many decimals (rounded down: the targets never add up to more than 1). */
const WEIGHT_PLACES = 8;

/** The weights cannot be set from the candles at hand (a flat price, a look-back too short). */
export class WeightingError extends Error {
  override readonly name = "WeightingError";
}

/** Daily closes, oldest first: one close a day, ending with the last (the timeframe's candles sampled). */
function dailyCloses(closes: readonly number[], perDay: number): number[] {
  const daily: number[] = [];
  for (let i = closes.length - 1; i >= 0; i -= perDay) daily.unshift(closes[i] as number);
  return daily;
}

/** The sample standard deviation of simple daily returns. */
export function dailyVolatility(closes: readonly number[], perDay: number): number {
  const daily = dailyCloses(closes, perDay);
  const returns = daily.slice(1).map((c, i) => c / (daily[i] as number) - 1);
  if (returns.length < 2) return Number.NaN;
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1);
  return Math.sqrt(variance);
}

/**
 * Each symbol's target share of equity (a fraction, 8 decimals, rounded down), in the basket's
 * order: fixed as given; equal, the invested share split evenly; inverse-volatility, the invested
 * share split in proportion to 1/σ of each symbol's daily returns over the look-back.
 * `closes` holds each symbol's closes, oldest first, ending at the rebalance's close.
 */
export function targetWeights(
  basket: Basket,
  closes: ReadonlyMap<string, readonly number[]>,
): Map<string, Decimal> {
  const invested = dec(100).minus(basket.cashPct).div(100);
  const targets = new Map<string, Decimal>();
  const down = (w: Decimal) => w.round(WEIGHT_PLACES, "down");
  if (basket.weighting === "fixed") {
    for (const s of basket.symbols) targets.set(s, down((basket.weights?.[s] ?? ZERO).div(100)));
    return targets;
  }
  if (basket.weighting === "equal") {
    for (const s of basket.symbols) targets.set(s, down(invested.div(basket.symbols.length)));
    return targets;
  }
  const perDay = candlesPerDay(basket.timeframe);
  const inverse = basket.symbols.map((s) => {
    const sigma = dailyVolatility(closes.get(s) ?? [], perDay);
    if (!(sigma > 0))
      throw new WeightingError(
        `${s}: no volatility to weigh by over ${basket.lookbackDays} days (${Number.isNaN(sigma) ? "too few closes" : "the price did not move"})`,
      );
    return 1 / sigma;
  });
  const total = inverse.reduce((s, v) => s + v, 0);
  basket.symbols.forEach((s, i) => {
    // The share as a float (a square root is involved), fixed to 12 places, then exact from there on.
    const share = dec(((inverse[i] as number) / total).toFixed(12));
    targets.set(s, down(invested.times(share)));
  });
  return targets;
}
