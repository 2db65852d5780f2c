import { ConfigurationError } from "../errors.ts";
import type { ConfiguredStrategy, Strategy, StrategyParams, StrategySignal } from "./strategy.ts";

/** An unknown strategy or parameter, or a value out of bounds: the message names it and what is valid. */
export class StrategyConfigError extends ConfigurationError {
  override readonly name: string = "StrategyConfigError";
}

/** The default line of `npm run signals`: one JSON object per window. */
function defaultLine(openTime: number, signal: StrategySignal): string {
  const t = `${new Date(openTime).toISOString().slice(0, 19)}Z`;
  return JSON.stringify({
    t,
    action: signal.action,
    reason: signal.reason,
    price: signal.price,
    ...signal.view,
  });
}

/**
 * Checks `given` against the strategy's parameters (text from the command line or numbers from
 * the configuration) and merges in the defaults. `where` names the place in messages.
 */
export function configureStrategy(
  strategy: Strategy,
  given: Readonly<Record<string, string | number>> = {},
  where = `strategy ${strategy.name}`,
): ConfiguredStrategy {
  const specs = strategy.params;
  const valid = Object.keys(specs).join(", ") || "none";
  const params: Record<string, number | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) params[name] = spec.default;
  for (const [name, raw] of Object.entries(given)) {
    // Own parameters only: "constructor" or "__proto__" name no parameter, whatever objects inherit.
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec)
      throw new StrategyConfigError(`${where}: unknown parameter "${name}"; its parameters: ${valid}`);
    const value =
      typeof raw === "number" ? raw : /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    const integer = spec.type === "integer";
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      throw new StrategyConfigError(
        `${where}: ${name} must be ${integer ? "a whole number" : "a number"}, got ${JSON.stringify(raw)}`,
      );
    }
    if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
      throw new StrategyConfigError(
        `${where}: ${name} must be between ${spec.min ?? "-∞"} and ${spec.max ?? "∞"}, got ${value}`,
      );
    }
    params[name] = value;
  }
  try {
    strategy.check?.(params);
  } catch (error) {
    throw new StrategyConfigError(`${where}: ${(error as Error).message}`);
  }
  const frozen = Object.freeze(params);
  return {
    name: strategy.name,
    version: strategy.version,
    params: frozen,
    minimumCandles: strategy.minimumCandles(frozen),
    lookback: strategy.lookback?.(frozen),
    evaluate: (series, last, count) => strategy.evaluate(series, last, count, frozen),
    line: (openTime, signal) => (strategy.line ?? defaultLine)(openTime, signal),
    actions: strategy.actions
      ? (series, from, to, count) =>
          (strategy.actions as NonNullable<Strategy["actions"]>)(series, from, to, count, frozen)
      : undefined,
  };
}

/** A parameter the strategy declares, as a number (defaults are applied by configureStrategy). */
export function param(params: StrategyParams, name: string): number {
  const value = params[name];
  if (value === undefined) throw new RangeError(`parameter ${name} has no value`);
  return value;
}
