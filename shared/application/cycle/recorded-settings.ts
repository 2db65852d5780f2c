import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { ConfiguredStrategy } from "../../domain/strategies/strategy.ts";
import { riskSettingsJson } from "../../domain/trading/risk-config.ts";
import { stakeFraction, type TradingRules } from "../../domain/trading/trading-rules.ts";
import type { CycleSettings } from "../ports/cycle-record.ts";
import type { CycleConfig } from "./config.ts";

const known = new WeakMap<ConfiguredStrategy, WeakMap<CycleConfig, Map<string, CycleSettings>>>();

/** The settings of a (strategy, configuration, timeframe), computed once (a backtest commits thousands of cycles). */
export function cycleSettings(
  strategy: ConfiguredStrategy,
  config: CycleConfig,
  timeframe: Timeframe,
  rules: TradingRules = config.rules,
): CycleSettings {
  const byConfig = known.get(strategy) ?? new WeakMap<CycleConfig, Map<string, CycleSettings>>();
  known.set(strategy, byConfig);
  const byTimeframe = byConfig.get(config) ?? new Map<string, CycleSettings>();
  byConfig.set(config, byTimeframe);
  // A watchlist entry's own risk settings make other rules than the configuration's.
  const key = rules === config.rules ? timeframe : `${timeframe} ${riskSettingsJson(rules.risk) ?? ""}`;
  const cached = byTimeframe.get(key);
  if (cached) return cached;
  const settings = computeSettings(strategy, rules, config.window, timeframe);
  byTimeframe.set(key, settings);
  return settings;
}

function computeSettings(
  strategy: ConfiguredStrategy,
  rules: TradingRules,
  window: number,
  timeframe: Timeframe,
): CycleSettings {
  const params = Object.entries(strategy.params)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => [`params.${name}`, String(value)]);
  const risk = riskSettingsJson(rules.risk);
  return {
    strategy: strategy.name,
    strategyVersion: strategy.version,
    ...Object.fromEntries(params),
    feeRate: rules.feeRate.toFixed(),
    stakeFraction: stakeFraction(rules, timeframe).toFixed(),
    maxOpenPositions: String(rules.maxOpenPositions),
    minNotional: rules.minNotional.toFixed(),
    window: String(window),
    // Only when some control is on: records of accounts without any read as they always did.
    ...(risk ? { risk } : {}),
  };
}

/** The settings that differ, as "name: before → after" ("none" where one side has no value). */
export function settingsChanges(before: CycleSettings, after: CycleSettings): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name}: ${before[name] ?? "none"} → ${after[name] ?? "none"}`);
}
