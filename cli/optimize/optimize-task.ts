import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import type { CycleConfig } from "../../shared/application/cycle/config.ts";
import type { Evaluation } from "../../shared/application/optimize/evaluation.ts";
import { evaluateSettings, type OptimizeMarket } from "../../shared/application/optimize/optimize.ts";
import type { Setting } from "../../shared/application/optimize/search-space.ts";
import type { SymbolFilters } from "../../shared/application/ports/market-data.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { toCandleSeries } from "../../shared/domain/market/candle-series.ts";
import type { Timeframe } from "../../shared/domain/market/timeframe.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { findStrategy } from "../../shared/domain/strategies/registry.ts";
import { parseRiskSettings, riskSettingsJson } from "../../shared/domain/trading/risk-config.ts";
import { NO_RISK_CONTROLS } from "../../shared/domain/trading/risk-settings.ts";

/** What a worker needs to run settings, as plain data (a configuration holds decimals and functions). */
export interface MarketData {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candles: readonly Candle[];
  readonly firstIndex: number;
  readonly end: number;
  readonly filters: SymbolFilters;
  readonly rules: {
    readonly initialBalance: string;
    readonly feeRate: string;
    readonly maxOpenPositions: number;
    readonly stakeFractions: Readonly<Record<string, string>>;
    readonly defaultStakeFraction: string;
    readonly minNotional: string;
    readonly window: number;
    readonly quoteAsset: string;
    readonly risk: string | undefined;
  };
}

export function marketData(market: OptimizeMarket): MarketData {
  const { config } = market;
  return {
    symbol: market.symbol,
    timeframe: market.timeframe,
    candles: market.candles,
    firstIndex: market.firstIndex,
    end: market.end,
    filters: market.filters,
    rules: {
      initialBalance: config.initialBalance.toFixed(),
      feeRate: config.rules.feeRate.toFixed(),
      maxOpenPositions: config.rules.maxOpenPositions,
      stakeFractions: Object.fromEntries(
        Object.entries(config.rules.stakeFractions).map(([k, v]) => [k, v?.toFixed() ?? ""]),
      ),
      defaultStakeFraction: config.rules.defaultStakeFraction.toFixed(),
      minNotional: config.rules.minNotional.toFixed(),
      window: config.window,
      quoteAsset: config.quoteAsset,
      risk: riskSettingsJson(config.rules.risk),
    },
  };
}

/** The market a worker runs on, rebuilt from its plain data (each task brings its own copy). */
export function marketOf(data: MarketData): OptimizeMarket {
  const r = data.rules;
  const config: CycleConfig = {
    ...DEFAULT_CYCLE_CONFIG,
    initialBalance: dec(r.initialBalance),
    window: r.window,
    quoteAsset: r.quoteAsset,
    defaultAccountId: "optimize",
    watchlist: undefined,
    rules: {
      feeRate: dec(r.feeRate),
      maxOpenPositions: r.maxOpenPositions,
      stakeFractions: Object.fromEntries(Object.entries(r.stakeFractions).map(([k, v]) => [k, dec(v)])),
      defaultStakeFraction: dec(r.defaultStakeFraction),
      minNotional: dec(r.minNotional),
      risk: r.risk ? parseRiskSettings(r.risk, "the optimizer's risk settings") : NO_RISK_CONTROLS,
    },
  };
  return { ...data, series: toCandleSeries(data.candles), config };
}

/** One batch of settings, as a worker runs it. */
export interface Task {
  readonly market: MarketData;
  readonly strategy: string;
  readonly settings: readonly Setting[];
  /** The search's first batch: check the strategy for lookahead. */
  readonly first: boolean;
}

export function runTask(task: Task): {
  evaluations: Evaluation[];
  skipped: { setting: Setting; why: string }[];
} {
  return evaluateSettings(marketOf(task.market), findStrategy(task.strategy), task.settings, task.first);
}
