import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBatch, encodeBatch } from "../../../shared/adapters/optimize/batch-codec.ts";
import type { Evaluation } from "../../../shared/application/optimize/evaluation.ts";

const double = fc.double(); // NaN, ±Infinity, -0 and subnormals included
const evaluation = fc.record({
  setting: fc.dictionary(fc.constantFrom("maPeriod", "buyThreshold", "stake"), fc.double({ noNaN: true })),
  full: fc.record({
    returnPct: double,
    sharpe: fc.option(double, { nil: null }),
    sortino: fc.option(double, { nil: null }),
    calmar: fc.option(double, { nil: null }),
    maxDrawdownPct: double,
    profitFactor: fc.option(double, { nil: null }),
    entries: fc.nat(),
  }),
  finalEquity: double,
  dayEquity: fc.array(double).map((a) => Float64Array.from(a)),
  dayEntries: fc.array(fc.nat(65_535)).map((a) => Uint16Array.from(a)),
  dayProfit: fc.array(double).map((a) => Float64Array.from(a)),
  dayLoss: fc.array(double).map((a) => Float64Array.from(a)),
}) as fc.Arbitrary<Evaluation>;

describe("a batch's outcome as JSON (the worker's file in the research bucket)", () => {
  it("reads back to the same values bit for bit: typed arrays, non-finite numbers, -0", () => {
    fc.assert(
      fc.property(
        fc.array(evaluation, { maxLength: 4 }),
        fc.array(fc.record({ setting: fc.dictionary(fc.string(), fc.integer()), why: fc.string() }), {
          maxLength: 3,
        }),
        (evaluations, skipped) => {
          const back = decodeBatch(encodeBatch({ evaluations, skipped }));
          expect(back).toEqual({ evaluations, skipped });
          for (const [k, e] of back.evaluations.entries()) {
            expect(e.dayEquity).toBeInstanceOf(Float64Array);
            expect(e.dayEntries).toBeInstanceOf(Uint16Array);
            expect(Object.is(e.finalEquity, evaluations[k]?.finalEquity)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("is plain JSON a person can read: no typed array becomes an object of indices", () => {
    const text = encodeBatch({
      evaluations: [
        {
          setting: { maPeriod: 50 },
          full: {
            returnPct: 1.5,
            sharpe: null,
            sortino: null,
            calmar: null,
            maxDrawdownPct: 0,
            profitFactor: null,
            entries: 0,
          },
          finalEquity: Number.POSITIVE_INFINITY,
          dayEquity: Float64Array.from([10_000, 10_000.5]),
          dayEntries: Uint16Array.from([0, 1]),
          dayProfit: new Float64Array(2),
          dayLoss: new Float64Array(2),
        },
      ],
      skipped: [],
    });
    expect(text).toContain('"dayEquity":{"$typed":"f64","values":[10000,10000.5]}');
    expect(text).toContain('"finalEquity":{"$number":"Infinity"}');
  });
});
