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
    throw new StrategyConfigError(
      `${where}: unknown strategy "${name}"; the strategies: ${STRATEGIES.map((s) => s.name).join(", ")}`,
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
