import { describe, expect, it } from "vitest";
import {
  fibonacciLevels,
  levelAt,
} from "../../../../shared/domain/strategies/fibonacci-golden-zone/levels.ts";

describe("Fibonacci levels", () => {
  it("measure retracements from the high in an uptrend, extensions above it", () => {
    const { ratios, high, low } = fibonacciLevels(200, 100, true);
    const expected = [176.4, 161.8, 150, 138.2, 121.4, 100, 261.8, 361.8];
    expect(Object.keys(ratios)).toEqual([
      "0.236",
      "0.382",
      "0.500",
      "0.618",
      "0.786",
      "1.000",
      "1.618",
      "2.618",
    ]);
    Object.values(ratios).forEach((value, k) => {
      expect(value).toBeCloseTo(expected[k] as number, 10);
    });
    expect([high, low]).toEqual([200, 100]);
  });

  it("measure retracements from the low in a downtrend, extensions below it", () => {
    const { ratios } = fibonacciLevels(200, 100, false);
    expect(ratios["0.500"]).toBe(150);
    expect(ratios["0.786"]).toBeCloseTo(178.6, 12);
    expect(ratios["1.000"]).toBe(200);
    expect(ratios["1.618"]).toBeCloseTo(38.2, 12);
    expect(ratios["2.618"]).toBeCloseTo(-61.8, 12);
  });

  it("compute an extension as H + 0.618·d exactly, not with 1.618 − 1", () => {
    const [high, low] = [693.0, 583.55];
    expect(levelAt(1.618, high, low, true)).toBe(high + (high - low) * 0.618);
    expect(levelAt(1.618, high, low, true)).toBe(760.6401000000001); // the reference's figure
  });
});
