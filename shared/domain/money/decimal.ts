/**
 * Exact decimal numbers for money: an integer mantissa (bigint) and a count of decimal places.
 * Sums, differences and products are exact; a division keeps 30 places, rounded toward zero;
 * amounts are rounded to the exchange's steps at the boundary, never silently.
 */
export type Rounding = "down" | "up" | "halfUp";
type DecimalLike = Decimal | string | number;

/** Places a division keeps. */
const DIVISION_PLACES = 30;
const NUMBER_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const TEN = 10n;
/** Powers of ten up to 10^80, made once (every sum, product and rounding uses them). */
const POWERS = Array.from({ length: 81 }, (_, n) => TEN ** BigInt(n));
const pow10 = (n: number) => POWERS[n] ?? TEN ** BigInt(n);
const EIGHT_ZEROS = 100_000_000n;
/** Numbers already read (immutable decimals, so shared); cleared when it holds this many. */
const NUMBERS = new Map<number, Decimal>();
const NUMBERS_KEPT = 100_000;

export class Decimal {
  /** The value is mantissa / 10^scale, with no trailing zero when scale > 0: one form per value. */
  readonly mantissa: bigint;
  readonly scale: number;

  private constructor(mantissa: bigint, scale: number) {
    let m = mantissa;
    let s = scale;
    if (m === 0n) s = 0;
    // Trailing zeros off, eight at a time first (a division's 30 places are mostly zeros).
    while (s >= 8 && m % EIGHT_ZEROS === 0n) {
      m /= EIGHT_ZEROS;
      s -= 8;
    }
    while (s > 0 && m % TEN === 0n) {
      m /= TEN;
      s--;
    }
    this.mantissa = m;
    this.scale = s;
  }

  /** Parses decimal text (an exponent is allowed) or takes a finite number by its shortest repr. */
  static of(value: DecimalLike): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === "number" && !Number.isFinite(value))
      throw new RangeError(`${value} is not a finite number`);
    if (typeof value === "number") {
      if (Number.isSafeInteger(value)) return new Decimal(BigInt(value), 0);
      // Prices repeat (every setting of a backtest reads the same candles): a number is parsed once.
      const known = NUMBERS.get(value);
      if (known) return known;
      const parsed = Decimal.#parse(String(value));
      if (NUMBERS.size >= NUMBERS_KEPT) NUMBERS.clear();
      NUMBERS.set(value, parsed);
      return parsed;
    }
    return Decimal.#parse(value);
  }

  static #parse(text: string): Decimal {
    const match = NUMBER_TEXT.exec(text);
    if (!match) throw new RangeError(`"${text}" is not a decimal`);
    const [, sign, whole, fraction = "", exponent = "0"] = match;
    let scale = fraction.length - Number(exponent);
    let mantissa = BigInt(`${whole}${fraction}`);
    if (scale < 0) {
      mantissa *= pow10(-scale);
      scale = 0;
    }
    return new Decimal(sign === "-" ? -mantissa : mantissa, scale);
  }

  #aligned(other: DecimalLike): [bigint, bigint, number] {
    const o = Decimal.of(other);
    const scale = Math.max(this.scale, o.scale);
    return [this.mantissa * pow10(scale - this.scale), o.mantissa * pow10(scale - o.scale), scale];
  }

  plus(other: DecimalLike): Decimal {
    const [a, b, scale] = this.#aligned(other);
    return new Decimal(a + b, scale);
  }

  minus(other: DecimalLike): Decimal {
    const [a, b, scale] = this.#aligned(other);
    return new Decimal(a - b, scale);
  }

  times(other: DecimalLike): Decimal {
    const o = Decimal.of(other);
    return new Decimal(this.mantissa * o.mantissa, this.scale + o.scale);
  }

  /** The quotient to 30 decimal places, rounded toward zero. */
  div(other: DecimalLike): Decimal {
    const o = Decimal.of(other);
    if (o.mantissa === 0n) throw new RangeError("division by zero");
    const numerator = this.mantissa * pow10(o.scale + DIVISION_PLACES);
    return new Decimal(numerator / (o.mantissa * pow10(this.scale)), DIVISION_PLACES);
  }

  neg(): Decimal {
    return new Decimal(-this.mantissa, this.scale);
  }

  abs(): Decimal {
    return this.mantissa < 0n ? this.neg() : this;
  }

  cmp(other: DecimalLike): -1 | 0 | 1 {
    const [a, b] = this.#aligned(other);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  lt(other: DecimalLike): boolean {
    return this.cmp(other) < 0;
  }

  lte(other: DecimalLike): boolean {
    return this.cmp(other) <= 0;
  }

  gt(other: DecimalLike): boolean {
    return this.cmp(other) > 0;
  }

  gte(other: DecimalLike): boolean {
    return this.cmp(other) >= 0;
  }

  eq(other: DecimalLike): boolean {
    return this.cmp(other) === 0;
  }

  /** Rounded to `places` decimals: toward zero, away from zero, or half away from zero. */
  round(places: number, rounding: Rounding): Decimal {
    if (this.scale <= places) return this;
    const factor = pow10(this.scale - places);
    let quotient = this.mantissa / factor;
    const rest = this.mantissa % factor;
    const away = this.mantissa < 0n ? -1n : 1n;
    const magnitude = rest < 0n ? -rest : rest;
    if (rest !== 0n && (rounding === "up" || (rounding === "halfUp" && 2n * magnitude >= factor)))
      quotient += away;
    return new Decimal(quotient, places);
  }

  /** Plain text without exponent; with `places`, rounded toward zero and padded to that many decimals. */
  toFixed(places?: number): string {
    const value = places === undefined ? this : this.round(places, "down");
    const digits = places === undefined ? value.scale : places;
    const negative = value.mantissa < 0n;
    const text = (negative ? -value.mantissa : value.mantissa) * pow10(digits - value.scale);
    const padded = text.toString().padStart(digits + 1, "0");
    const whole = padded.slice(0, padded.length - digits);
    const fraction = padded.slice(padded.length - digits);
    return `${negative ? "-" : ""}${whole}${digits > 0 ? `.${fraction}` : ""}`;
  }

  toString(): string {
    return this.toFixed();
  }

  /** So that Number(decimal) and JSON give the exact text. */
  valueOf(): string {
    return this.toFixed();
  }

  toJSON(): string {
    return this.toFixed();
  }
}

/** A decimal from decimal text or a finite number (a number is read by its shortest repr). */
export function dec(value: DecimalLike): Decimal {
  return Decimal.of(value);
}

export const ZERO: Decimal = dec(0);

/** `value` rounded down to a multiple of `step` (a quantity to the lot size). */
export function floorToStep(value: Decimal, step: Decimal): Decimal {
  if (step.lte(0)) return value;
  return value.div(step).round(0, "down").times(step);
}

/** `value` rounded up to a multiple of `step`. */
export function ceilToStep(value: Decimal, step: Decimal): Decimal {
  if (step.lte(0)) return value;
  return value.div(step).round(0, "up").times(step);
}

/** `value` rounded to `places` decimals, half away from zero. */
export function roundTo(value: Decimal, places: number): Decimal {
  return value.round(places, "halfUp");
}

/** Decimal places of a step such as "0.00100000" (3), to print prices and quantities. */
export function stepPlaces(step: string): number {
  const fraction = step.split(".")[1]?.replace(/0+$/, "") ?? "";
  return fraction.length;
}
