import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { ConfiguredStrategy } from "../../domain/strategies/strategy.ts";
import { stakeFraction } from "../../domain/trading/trading-rules.ts";
import type { CycleSettings } from "../ports/cycle-record.ts";
import type { CycleConfig } from "./config.ts";

const known = new WeakMap<ConfiguredStrategy, WeakMap<CycleConfig, Map<Timeframe, CycleSettings>>>();

/** The settings of a (strategy, configuration, timeframe), computed once (a backtest commits thousands of cycles). */
export function cycleSettings(
  strategy: ConfiguredStrategy,
  config: CycleConfig,
  timeframe: Timeframe,
): CycleSettings {
  const byConfig = known.get(strategy) ?? new WeakMap<CycleConfig, Map<Timeframe, CycleSettings>>();
  known.set(strategy, byConfig);
  const byTimeframe = byConfig.get(config) ?? new Map<Timeframe, CycleSettings>();
  byConfig.set(config, byTimeframe);
  const cached = byTimeframe.get(timeframe);
  if (cached) return cached;
  const settings = computeSettings(strategy, config, timeframe);
  byTimeframe.set(timeframe, settings);
  return settings;
}

function computeSettings(
  strategy: ConfiguredStrategy,
  config: CycleConfig,
  timeframe: Timeframe,
): CycleSettings {
  const params = Object.entries(strategy.params)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => [`params.${name}`, String(value)]);
  return {
    strategy: strategy.name,
    strategyVersion: strategy.version,
    ...Object.fromEntries(params),
    feeRate: config.rules.feeRate.toFixed(),
    stakeFraction: stakeFraction(config.rules, timeframe).toFixed(),
    maxOpenPositions: String(config.rules.maxOpenPositions),
    minNotional: config.rules.minNotional.toFixed(),
    window: String(config.window),
  };
}

/** The settings that differ, as "name: before → after" ("none" where one side has no value). */
export function settingsChanges(before: CycleSettings, after: CycleSettings): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name}: ${before[name] ?? "none"} → ${after[name] ?? "none"}`);
}
