import type { Evaluation } from "../../application/optimize/evaluation.ts";
import type { Setting } from "../../application/optimize/rule-params.ts";

/** What one batch of settings gives: its evaluations and the settings the strategy refused, with why. */
export interface BatchOutcome {
  readonly evaluations: Evaluation[];
  readonly skipped: { setting: Setting; why: string }[];
}

const TYPED = { f64: Float64Array, u16: Uint16Array, i32: Int32Array } as const;
type Tag = keyof typeof TYPED;

const tagOf = (value: unknown): Tag | undefined =>
  value instanceof Float64Array
    ? "f64"
    : value instanceof Uint16Array
      ? "u16"
      : value instanceof Int32Array
        ? "i32"
        : undefined;

/**
 * A batch's outcome as JSON text that reads back to the same values, bit for bit: the days' typed
 * arrays (which JSON would turn into objects), non-finite numbers (which it would turn into
 * null) and -0 (which it would write as 0) are written as tagged objects. A double written by JSON.stringify parses to the same double.
 */
export function encodeBatch(outcome: BatchOutcome): string {
  return JSON.stringify(outcome, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    const tag = tagOf(raw);
    if (tag) return { $typed: tag, values: Array.from(raw as ArrayLike<number>, finiteOrTagged) };
    return finiteOrTagged(value);
  });
}

function finiteOrTagged(value: unknown): unknown {
  if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0)))
    return { $number: Object.is(value, -0) ? "-0" : String(value) };
  return value;
}

export function decodeBatch(text: string): BatchOutcome {
  return JSON.parse(text, (_key, value) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if (typeof value.$number === "string") return Number(value.$number);
      if (typeof value.$typed === "string" && value.$typed in TYPED)
        return TYPED[value.$typed as Tag].from(value.values as number[]);
    }
    return value;
  }) as BatchOutcome;
}
