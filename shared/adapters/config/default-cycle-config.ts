import { CYCLE_CONFIG_DEFAULTS, type CycleConfig } from "../../application/cycle/index.ts";
import { strategyNamed } from "../../domain/strategies/registry.ts";

/** The cycle's settings at their defaults, with the default strategy. */
export const DEFAULT_CYCLE_CONFIG: CycleConfig = Object.freeze({
  ...CYCLE_CONFIG_DEFAULTS,
  strategy: strategyNamed(),
});
