import Big from "big.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ceilToStep, Decimal, dec, floorToStep, roundTo } from "../../../shared/domain/money/decimal.ts";

// big.js, a well-tried decimal library, is the oracle: 30 places for divisions, rounded toward zero.
Big.DP = 30;
Big.RM = Big.roundDown;
Big.NE = -60;
Big.PE = 60;

/** big.js's text, but zero without a sign (big.js keeps "-0" where a negative rounds to zero). */
const text = (value: Big, places?: number) => {
  const out = places === undefined ? value.toFixed() : value.toFixed(places, Big.roundDown);
  return value.eq(0) || /^-0(\.0+)?$/.test(out) ? out.replace(/^-/, "") : out;
};

const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
  .map(([negative, digits, places]) => {
    const text = digits.toString().padStart(places + 1, "0");
    const body = places ? `${text.slice(0, -places)}.${text.slice(-places)}` : text;
    return negative && digits !== 0n ? `-${body}` : body;
  });

describe("Decimal", () => {
  it("adds, subtracts, multiplies and compares exactly, as big.js does", () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        const [x, y] = [dec(a), dec(b)];
        expect(x.plus(y).toString()).toBe(new Big(a).plus(b).toFixed());
        expect(x.minus(y).toString()).toBe(new Big(a).minus(b).toFixed());
        expect(x.times(y).toString()).toBe(new Big(a).times(b).toFixed());
        expect(x.cmp(y)).toBe(new Big(a).cmp(b));
      }),
      { numRuns: 2000 },
    );
  });

  it("divides to 30 places toward zero, as big.js does", () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        fc.pre(!new Big(b).eq(0));
        expect(dec(a).div(b).toString()).toBe(new Big(a).div(b).toFixed());
      }),
      { numRuns: 2000 },
    );
  });

  it("rounds down, up and half up, and prints fixed places, as big.js does", () => {
    fc.assert(
      fc.property(decimalText, fc.integer({ min: 0, max: 10 }), (a, places) => {
        expect(dec(a).round(places, "down").toString()).toBe(text(new Big(a).round(places, Big.roundDown)));
        expect(dec(a).round(places, "up").toString()).toBe(text(new Big(a).round(places, Big.roundUp)));
        expect(roundTo(dec(a), places).toString()).toBe(text(new Big(a).round(places, Big.roundHalfUp)));
        expect(dec(a).toFixed(places)).toBe(text(new Big(a), places));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads numbers by their shortest text and refuses what is not a number", () => {
    expect(dec(606.9722999999999).toString()).toBe("606.9722999999999");
    expect(dec(1e-7).toString()).toBe("0.0000001");
    expect(dec("1.5e3").toString()).toBe("1500");
    expect(dec("10000.00").toString()).toBe("10000");
    expect(dec("-0").toString()).toBe("0");
    expect(() => dec("ten")).toThrowError('"ten" is not a decimal');
    expect(() => dec(Number.NaN)).toThrowError("NaN is not a finite number");
    expect(() => dec(1).div(0)).toThrowError("division by zero");
  });

  it("has one form per value, so equal amounts are equal objects", () => {
    expect(dec("1.50")).toEqual(dec("1.5"));
    expect(dec("1.50")).not.toEqual(dec("1.51"));
    expect(Number(dec("2.5"))).toBe(2.5);
    expect(JSON.stringify({ fee: dec("0.99994971") })).toBe('{"fee":"0.99994971"}');
    expect(dec("1")).toBeInstanceOf(Decimal);
    // Trailing zeros go however many there are (a division's 30 places, 8 at a time then one by one).
    for (const [value, scale] of [
      [dec(100).div(4), 0],
      [dec(1).div(8), 3],
      [dec("1.5000000000000000000000000"), 1],
      [dec("0.000000000000000000"), 0],
      [dec("-120.00000000000000000"), 0],
    ] as const)
      expect([value.toFixed(), value.scale]).toEqual([value.toFixed(), scale]);
    expect(dec(100).div(4)).toEqual(dec("25"));
    expect(dec(-120).mantissa).toBe(-120n);
    // Whole numbers read without text, the same value as their text.
    expect(dec(9_007_199_254_740_991)).toEqual(dec("9007199254740991"));
    expect(dec(-0)).toEqual(dec("0"));
  });

  it("rounds to exchange steps: quantities down, prices the asked way", () => {
    expect(floorToStep(dec("1.5670999"), dec("0.001")).toString()).toBe("1.567");
    expect(ceilToStep(dec("760.6401000000001"), dec("0.01")).toString()).toBe("760.65");
    expect(floorToStep(dec("606.9722999999999"), dec("0.01")).toString()).toBe("606.97");
  });
});
