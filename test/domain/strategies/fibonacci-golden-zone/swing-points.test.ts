import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lastSwing } from "../../../../shared/domain/strategies/fibonacci-golden-zone/swing-points.ts";

/** The definition, written naively: the latest centre that equals the extreme of its neighbourhood. */
function naiveLastSwing(
  values: number[],
  start: number,
  end: number,
  lookback: number,
  kind: "high" | "low",
): number {
  for (let i = end - 1 - lookback; i >= start + lookback; i--) {
    const around = values.slice(i - lookback, i + lookback + 1);
    const extreme = kind === "high" ? Math.max(...around) : Math.min(...around);
    if (values[i] === extreme) return i;
  }
  return -1;
}

describe("lastSwing", () => {
  it("agrees with the definition on random series with many ties", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 120 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 10 }),
        fc.constantFrom<"high" | "low">("high", "low"),
        (values, lookback, trim, kind) => {
          const start = Math.min(trim, values.length);
          const column = Float64Array.from(values);
          expect(lastSwing(column, start, values.length, lookback, kind)).toBe(
            naiveLastSwing(values, start, values.length, lookback, kind),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never picks one of the last `lookback` candles", () => {
    const rising = Float64Array.from({ length: 50 }, (_, i) => i);
    expect(lastSwing(rising, 0, 50, 5, "high")).toBe(-1);
    expect(lastSwing(rising, 0, 50, 5, "low")).toBe(-1); // index 0..4 lack a left side
  });
});
