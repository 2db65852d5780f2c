import type { ParamSpec, Strategy } from "../../domain/strategies/strategy.ts";
import { RULE_PARAMS, type Setting } from "./rule-params.ts";

/** A parameter's values to try: a list (a grid axis or one fixed value), or a range to sample. */
export type Axis =
  | { readonly kind: "values"; readonly values: readonly number[] }
  | { readonly kind: "range"; readonly min: number; readonly max: number; readonly integer: boolean };

const NUMBER = "-?\\d+(?:\\.\\d+)?";
const RANGE = new RegExp(`^(${NUMBER})\\.\\.(${NUMBER})(?::(${NUMBER}))?$`);
const places = (text: string) => text.split(".")[1]?.length ?? 0;

/**
 * One `--param` of the optimizer: `name=value` (fixed), `name=a,b,c` (a list), `name=from..to:step`
 * (a grid axis, both ends included) or `name=from..to` (a range for --samples). Errors name the
 * flag's text and what is valid.
 */
export function parseAxis(
  strategy: Pick<Strategy, "name" | "params">,
  text: string,
  /** Rules a portfolio search moves too (maxOpenPositions). */
  extra: Readonly<Record<string, ParamSpec>> = {},
): [string, Axis] {
  const at = text.indexOf("=");
  const name = at > 0 ? text.slice(0, at) : "";
  const value = text.slice(at + 1).trim();
  const spec = Object.hasOwn(strategy.params, name)
    ? strategy.params[name]
    : Object.hasOwn(RULE_PARAMS, name)
      ? RULE_PARAMS[name]
      : Object.hasOwn(extra, name)
        ? extra[name]
        : undefined;
  if (!spec)
    throw new RangeError(
      `--param ${text}: ${strategy.name} has no parameter "${name}"; its parameters: ${Object.keys(strategy.params).join(", ")}; the rules': ${[...Object.keys(RULE_PARAMS), ...Object.keys(extra)].join(", ")}`,
    );
  const range = RANGE.exec(value);
  if (range) {
    const [from, to, step] = [Number(range[1]), Number(range[2]), range[3]];
    if (!(from < to)) throw new RangeError(`--param ${text}: the range must go up (from < to)`);
    if (step === undefined)
      return [name, { kind: "range", min: from, max: to, integer: spec.type === "integer" }];
    const size = Number(step);
    if (!(size > 0)) throw new RangeError(`--param ${text}: the step must be above 0`);
    const decimals = Math.max(places(range[1] as string), places(range[2] as string), places(step));
    const values: number[] = [];
    for (let k = 0; ; k++) {
      const v = Number((from + k * size).toFixed(decimals));
      if (v > to + 1e-12) break;
      values.push(v);
      if (values.length > 100_000) throw new RangeError(`--param ${text}: more than 100,000 values`);
    }
    return [name, { kind: "values", values: values.map((v) => checked(name, spec, v, text)) }];
  }
  const list = value.split(",").map((v) => v.trim());
  if (list.some((v) => !new RegExp(`^${NUMBER}$`).test(v)))
    throw new RangeError(
      `--param ${text}: give a number, a list a,b,c, a grid from..to:step or a range from..to`,
    );
  return [name, { kind: "values", values: list.map((v) => checked(name, spec, Number(v), text)) }];
}

function checked(name: string, spec: ParamSpec, value: number, text: string): number {
  if (spec.type === "integer" && !Number.isInteger(value))
    throw new RangeError(`--param ${text}: ${name} takes whole numbers, not ${value}`);
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))
    throw new RangeError(
      `--param ${text}: ${name} must be between ${spec.min ?? "-∞"} and ${spec.max ?? "∞"}, not ${value}`,
    );
  return value;
}

/**
 * The most settings one search runs: each keeps its daily returns for the overfitting statistics
 * (a year: ~3 KB), so 100,000 hold about 300 MB; a larger grid is refused before anything is built.
 */
export const MAX_SETTINGS = 100_000;

/** How many settings the value axes' grid holds, counted without building it. */
const gridSize = (axes: Readonly<Record<string, Axis>>): number =>
  Object.values(axes).reduce((n, axis) => (axis.kind === "values" ? n * axis.values.length : n), 1);

/** Every combination of the value axes, in order (the first axis varies slowest). */
export function grid(axes: Readonly<Record<string, Axis>>): Setting[] {
  if (gridSize(axes) > MAX_SETTINGS) throw new RangeError(tooMany(gridSize(axes), "the grid"));
  let settings: Record<string, number>[] = [{}];
  for (const [name, axis] of Object.entries(axes)) {
    if (axis.kind !== "values") continue;
    settings = settings.flatMap((s) => axis.values.map((v) => ({ ...s, [name]: v })));
  }
  return settings;
}

/** A small, fast, seeded generator (mulberry32): the same seed, the same samples. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `count` random settings, seeded: each range axis drawn uniformly (whole numbers for integer
 * parameters, 2 decimals otherwise), each value axis picked from its values; the other parameters
 * keep their default. Without any axis, every parameter with a default and declared bounds is
 * drawn within them. The account's rules (stake, risk.*) are drawn when given as axes.
 */
export function samples(
  strategy: Strategy,
  axes: Readonly<Record<string, Axis>>,
  count: number,
  seed: number,
): Setting[] {
  if (count > MAX_SETTINGS) throw new RangeError(tooMany(count, "--samples"));
  const random = seededRandom(seed);
  const all: Record<string, Axis> = {};
  for (const [name, spec] of Object.entries(strategy.params)) {
    if (axes[name]) all[name] = axes[name];
    else if (
      Object.keys(axes).length === 0 &&
      spec.min !== undefined &&
      spec.max !== undefined &&
      spec.default !== undefined
    )
      all[name] = { kind: "range", min: spec.min, max: spec.max, integer: spec.type === "integer" };
  }
  // The rules' axes (stake, risk.*) are not the strategy's parameters: drawn as given.
  for (const [name, axis] of Object.entries(axes)) if (!Object.hasOwn(all, name)) all[name] = axis;
  const out: Setting[] = [];
  for (let n = 0; n < count; n++) {
    const setting: Record<string, number> = {};
    for (const [name, axis] of Object.entries(all)) {
      if (axis.kind === "values")
        setting[name] = axis.values[Math.floor(random() * axis.values.length)] as number;
      else if (axis.integer) setting[name] = axis.min + Math.floor(random() * (axis.max - axis.min + 1));
      else setting[name] = Math.round((axis.min + random() * (axis.max - axis.min)) * 100) / 100;
    }
    out.push(setting);
  }
  return out;
}

const tooMany = (count: number, what: string) =>
  `${what} holds ${count.toLocaleString("en")} settings, more than the ${MAX_SETTINGS.toLocaleString("en")} one search runs; narrow a --param, use a coarser step, or split the search`;
