/**
 * How much of a best backtest is luck: the probability of backtest overfitting by combinatorially
 * symmetric cross-validation (Bailey, Borwein, López de Prado and Zhu, 2015) and the deflated
 * Sharpe ratio (Bailey and López de Prado, 2014). Inputs are per-period (daily) returns.
 */

const EULER_GAMMA = 0.5772156649015329;

/** The standard normal distribution function (erf by Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Its inverse (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a probability strictly between 0 and 1, got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

export interface Moments {
  readonly mean: number;
  readonly sd: number;
  readonly skewness: number;
  /** Not in excess: a normal distribution's is 3. */
  readonly kurtosis: number;
}

export function moments(xs: ArrayLike<number>): Moments {
  const n = xs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i] as number;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (xs[i] as number) - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  const variance = m2 / n;
  const sd = Math.sqrt(m2 / Math.max(1, n - 1));
  return {
    mean,
    sd,
    skewness: variance > 0 ? m3 / n / variance ** 1.5 : 0,
    kurtosis: variance > 0 ? m4 / n / variance ** 2 : 3,
  };
}

/** A per-period Sharpe ratio (not annualised): mean over standard deviation; 0 without variance. */
export function periodSharpe(xs: ArrayLike<number>): number {
  const m = moments(xs);
  return m.sd > 0 ? m.mean / m.sd : 0;
}

/**
 * The deflated Sharpe ratio: the probability that the best of `trials` settings has a true Sharpe
 * above zero, given that the best of that many is expected to look good by chance alone. `returns`
 * are the chosen setting's per-period returns, `trialSharpes` every setting's per-period Sharpe.
 */
export function deflatedSharpe(
  returns: ArrayLike<number>,
  trialSharpes: ArrayLike<number>,
): {
  sharpe: number;
  expectedMax: number;
  probability: number;
} {
  const trials = trialSharpes.length;
  const sr = periodSharpe(returns);
  const spread = trials > 1 ? moments(trialSharpes).sd : 0;
  const expectedMax =
    trials > 1
      ? spread *
        ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) +
          EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)))
      : 0;
  return { sharpe: sr, expectedMax, probability: probabilisticSharpe(returns, expectedMax) };
}

/** The probabilistic Sharpe ratio: P(true Sharpe > `benchmark`) from the sample's length, skewness and kurtosis. */
export function probabilisticSharpe(returns: ArrayLike<number>, benchmark: number): number {
  const m = moments(returns);
  const n = returns.length;
  if (n < 3 || !(m.sd > 0)) return Number.NaN;
  const sr = m.mean / m.sd;
  const denominator = Math.sqrt(Math.max(1e-12, 1 - m.skewness * sr + ((m.kurtosis - 1) / 4) * sr * sr));
  return normalCdf(((sr - benchmark) * Math.sqrt(n - 1)) / denominator);
}

/** Every way to choose `k` of `n` items (as index lists), in order. */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === k) {
      out.push([...chosen]);
      return;
    }
    for (let i = start; i <= n - (k - chosen.length); i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return out;
}

/**
 * The probability of backtest overfitting by CSCV: the periods are cut into `blocks` equal parts;
 * for each half of them (taken as in-sample, the other half out-of-sample) the setting with the
 * best in-sample Sharpe is ranked among all settings out-of-sample; the PBO is the share of
 * splits where it ranks at or below the median (its logit λ ≤ 0). `returns[s]` are setting s's
 * per-period returns, all of one length.
 */
export function probabilityOfOverfitting(
  returns: readonly ArrayLike<number>[],
  blocks = 10,
): { pbo: number; splits: number; logits: number[] } {
  const settings = returns.length;
  const periods = returns[0]?.length ?? 0;
  if (settings < 2 || periods < blocks * 2) return { pbo: Number.NaN, splits: 0, logits: [] };
  const size = Math.floor(periods / blocks);
  // Per setting and block: the sums that make any union of blocks' mean and variance.
  const sums = returns.map((r) => {
    const s = new Float64Array(blocks * 2);
    for (let b = 0; b < blocks; b++) {
      for (let t = b * size; t < (b + 1) * size; t++) {
        const x = r[t] as number;
        s[2 * b] = (s[2 * b] as number) + x;
        s[2 * b + 1] = (s[2 * b + 1] as number) + x * x;
      }
    }
    return s;
  });
  const sharpeOf = (s: Float64Array, chosen: readonly number[]) => {
    let sum = 0;
    let squares = 0;
    for (const b of chosen) {
      sum += s[2 * b] as number;
      squares += s[2 * b + 1] as number;
    }
    const n = chosen.length * size;
    const mean = sum / n;
    const variance = (squares - n * mean * mean) / Math.max(1, n - 1);
    return variance > 0 ? mean / Math.sqrt(variance) : 0;
  };
  const logits: number[] = [];
  for (const inSample of combinations(blocks, blocks / 2)) {
    const outSample = [...Array(blocks).keys()].filter((b) => !inSample.includes(b));
    let best = 0;
    let bestSharpe = Number.NEGATIVE_INFINITY;
    const oos = new Float64Array(settings);
    for (let s = 0; s < settings; s++) {
      const is = sharpeOf(sums[s] as Float64Array, inSample);
      if (is > bestSharpe) {
        bestSharpe = is;
        best = s;
      }
      oos[s] = sharpeOf(sums[s] as Float64Array, outSample);
    }
    const own = oos[best] as number;
    let below = 0;
    for (let s = 0; s < settings; s++) if ((oos[s] as number) < own) below++;
    // Its relative rank out-of-sample, in (0, 1): (rank) / (N + 1), rank 1 the worst.
    const omega = (below + 1) / (settings + 1);
    logits.push(Math.log(omega / (1 - omega)));
  }
  const pbo = logits.filter((l) => l <= 0).length / logits.length;
  return { pbo, splits: logits.length, logits };
}
