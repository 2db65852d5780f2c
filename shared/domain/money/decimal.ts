import BigImport from "big.js";

/**
 * Exact decimal arithmetic for money (big.js): sums and products never drift; divisions are
 * rounded down at 30 places and everything is rounded to the exchange's steps at the boundary.
 */
export const Big = BigImport;
export type Decimal = BigImport.Big;

Big.DP = 30;
Big.RM = Big.roundDown;
Big.NE = -40;
Big.PE = 40;

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** A decimal from a decimal string or a finite number (a number is read by its shortest repr). */
export function dec(value: string | number | Decimal): Decimal {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
    return new Big(String(value));
  }
  if (typeof value === "string" && !DECIMAL_TEXT.test(value))
    throw new RangeError(`"${value}" is not a decimal`);
  return new Big(value);
}

export const ZERO: Decimal = new Big(0);

/** `value` rounded down to a multiple of `step` (a quantity to the lot size). */
export function floorToStep(value: Decimal, step: Decimal): Decimal {
  if (step.lte(0)) return value;
  return value.div(step).round(0, Big.roundDown).times(step);
}

/** `value` rounded up to a multiple of `step`. */
export function ceilToStep(value: Decimal, step: Decimal): Decimal {
  if (step.lte(0)) return value;
  return value.div(step).round(0, Big.roundUp).times(step);
}

/** `value` rounded to `places` decimals, half away from zero. */
export function roundTo(value: Decimal, places: number): Decimal {
  return value.round(places, Big.roundHalfUp);
}

/** The canonical text of a decimal: no exponent, no trailing zeros. */
export function decText(value: Decimal): string {
  return value.toFixed();
}

/** Decimal places of a step such as "0.00100000" (3), to print prices and quantities. */
export function stepPlaces(step: string): number {
  const fraction = step.split(".")[1]?.replace(/0+$/, "") ?? "";
  return fraction.length;
}
