import { buyAndHold } from "./buy-and-hold.ts";
import { configureStrategy, StrategyConfigError } from "./configure.ts";
import { dca } from "./dca.ts";
import { fibonacciGoldenZone } from "./fibonacci-golden-zone/strategy.ts";
import { maDistance } from "./ma-distance.ts";
import type { ConfiguredStrategy, Strategy } from "./strategy.ts";

/** Every strategy the cycle, the backtest and the CLIs can run: one line each (see docs/strategies.md). */
export const STRATEGIES: readonly Strategy[] = [fibonacciGoldenZone, maDistance, buyAndHold, dca];

/** The strategy a watchlist entry or a command runs when it names none. */
export const DEFAULT_STRATEGY = fibonacciGoldenZone.name;

export function findStrategy(name: string, where = "strategy"): Strategy {
  const found = STRATEGIES.find((s) => s.name === name);
  if (!found) {
    const close = STRATEGIES.find((s) => closeName(s.name, name));
    throw new StrategyConfigError(
      `${where}: unknown strategy "${name}"${close ? ` (did you mean ${close.name}?)` : ""}; the strategies: ${STRATEGIES.map((s) => s.name).join(", ")}`,
    );
  }
  return found;
}

/** The named strategy with its parameters checked (defaults for the rest). */
export function strategyNamed(
  name: string = DEFAULT_STRATEGY,
  params: Readonly<Record<string, string | number>> = {},
  where = "strategy",
): ConfiguredStrategy {
  return configureStrategy(findStrategy(name, where), params, `${where} ${name}`);
}

/** Two names a typo apart: the same length ±1 and at most two characters differ, in order. */
function closeName(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    edits++;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 2;
}
