import type { Timeframe } from "../../domain/market/timeframe.ts";
import { dec } from "../../domain/money/decimal.ts";
import type { ConfiguredStrategy } from "../../domain/strategies/strategy.ts";
import { parseRiskSettings } from "../../domain/trading/risk-config.ts";
import { NO_RISK_CONTROLS } from "../../domain/trading/risk-settings.ts";
import type { CycleConfig } from "../cycle/index.ts";
import type { CycleSettings } from "../ports/cycle-record.ts";

/** A strategy by name with its parameters checked (the registry's, handed in by the caller). */
export type ResolveStrategy = (
  name: string,
  params: Readonly<Record<string, string | number>>,
  where: string,
) => ConfiguredStrategy;

/** The strategy's parameters a record's settings name ("params.maPeriod" → maPeriod). */
function paramsOf(settings: CycleSettings): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings)
      .filter(([name]) => name.startsWith("params."))
      .map(([name, value]) => [name.slice("params.".length), value]),
  );
}

/**
 * The configuration one pair's cycle ran with, rebuilt from the settings its record holds: the
 * strategy and its parameters, the fee, the stake of that pair's timeframe, the position limit,
 * the smallest entry and the window. Each pair gets its own (a stake recorded by one 1h pair never
 * sizes another). Cached by settings, so thousands of replayed cycles build a handful.
 */
export class ReplayConfigs {
  readonly #base: CycleConfig;
  readonly #resolve: ResolveStrategy;
  readonly #accountId: string;
  readonly #cache = new Map<string, CycleConfig>();

  constructor(base: CycleConfig, resolve: ResolveStrategy, accountId: string) {
    this.#base = base;
    this.#resolve = resolve;
    this.#accountId = accountId;
  }

  configFor(symbol: string, timeframe: Timeframe, settings: CycleSettings): CycleConfig {
    const key = `${symbol} ${timeframe} ${JSON.stringify(settings)}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const base = this.#base;
    const strategy = this.#resolve(
      settings.strategy ?? base.strategy.name,
      paramsOf(settings),
      `${symbol} ${timeframe}'s record`,
    );
    const rules = base.rules;
    const config: CycleConfig = {
      ...base,
      defaultAccountId: this.#accountId,
      strategy,
      window: settings.window === undefined ? base.window : Number(settings.window),
      rules: {
        ...rules,
        feeRate: settings.feeRate === undefined ? rules.feeRate : dec(settings.feeRate),
        maxOpenPositions:
          settings.maxOpenPositions === undefined
            ? rules.maxOpenPositions
            : Number(settings.maxOpenPositions),
        minNotional: settings.minNotional === undefined ? rules.minNotional : dec(settings.minNotional),
        stakeFractions:
          settings.stakeFraction === undefined
            ? rules.stakeFractions
            : { [timeframe]: dec(settings.stakeFraction) },
        // A record names its risk settings only when one was on.
        risk:
          settings.risk === undefined
            ? NO_RISK_CONTROLS
            : parseRiskSettings(settings.risk, `${symbol} ${timeframe}'s recorded risk settings`),
      },
      watchlist: [{ symbol, timeframe, strategy, accountId: this.#accountId, mode: "trade" }],
    };
    this.#cache.set(key, config);
    return config;
  }
}
