import { describe, expect, it } from "vitest";
import {
  combinations,
  deflatedSharpe,
  normalCdf,
  normalQuantile,
  probabilisticSharpe,
  probabilityOfOverfitting,
} from "../../../shared/application/optimize/overfitting.ts";
import { seededRandom } from "../../../shared/application/optimize/search-space.ts";

/** Normal draws (Box–Muller) from a seeded generator. */
function normals(count: number, seed: number, mean = 0, sd = 1): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const u = 1 - random();
    out[i] = mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }
  return out;
}

describe("the statistics of overfitting", () => {
  it("the normal distribution and its inverse agree with published tables", () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 6);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 6);
  });

  it("the probabilistic Sharpe ratio of normal returns is Φ(SR·√(T−1)/√(1+SR²/2))", () => {
    const returns = normals(1000, 7, 0.05, 1);
    const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
    const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1));
    const sr = mean / sd;
    // Skewness ≈ 0 and kurtosis ≈ 3 for normal draws: the formula's normal case, within the sample's moments.
    expect(probabilisticSharpe(returns, 0)).toBeCloseTo(
      normalCdf((sr * Math.sqrt(999)) / Math.sqrt(1 + sr ** 2 / 2)),
      2,
    );
  });

  it("the deflated Sharpe ratio: the more settings were tried, the higher the bar; with one, it is the probabilistic Sharpe ratio", () => {
    const best = normals(730, 11, 0.08, 1);
    const one = deflatedSharpe(best, [0.08]);
    expect(one.expectedMax).toBe(0);
    expect(one.probability).toBeCloseTo(probabilisticSharpe(best, 0), 12);
    const many = deflatedSharpe(best, normals(1000, 3, 0, 0.05));
    // E[max] of 1,000 trials with a spread of 0.05: ≈ 0.05 × 3.25.
    expect(many.expectedMax).toBeGreaterThan(0.15);
    expect(many.expectedMax).toBeLessThan(0.17);
    expect(many.probability).toBeLessThan(one.probability);
  });

  it("CSCV: settings that are all noise overfit about half the time; one with a real edge almost never", () => {
    expect(combinations(10, 5)).toHaveLength(252);
    const noise = Array.from({ length: 50 }, (_, s) => normals(500, 100 + s));
    const lucky = probabilityOfOverfitting(noise);
    expect(lucky.splits).toBe(252);
    expect(lucky.pbo).toBeGreaterThan(0.3);
    expect(lucky.pbo).toBeLessThan(0.7);
    const edge = [normals(500, 999, 0.5, 1), ...noise.slice(1)];
    expect(probabilityOfOverfitting(edge).pbo).toBeLessThan(0.05);
  });
});
