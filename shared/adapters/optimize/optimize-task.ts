import { DEFAULT_CYCLE_CONFIG } from "../../adapters/config/default-cycle-config.ts";
import type { CycleConfig } from "../../application/cycle/index.ts";
import type { Evaluation } from "../../application/optimize/evaluation.ts";
import { evaluateSettings, type OptimizeMarket } from "../../application/optimize/optimize.ts";
import {
  evaluatePortfolioSettings,
  type PortfolioMarket,
} from "../../application/optimize/portfolio-optimize.ts";
import type { Setting } from "../../application/optimize/rule-params.ts";
import { portfolioSchedule } from "../../application/optimize/simulate-portfolio.ts";
import type { SymbolFilters } from "../../application/ports/market-data.ts";
import type { Candle } from "../../domain/market/candle.ts";
import { toCandleSeries } from "../../domain/market/candle-series.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import { dec } from "../../domain/money/decimal.ts";
import { findStrategy, strategyNamed } from "../../domain/strategies/registry.ts";
import { parseRiskSettings, riskSettingsJson } from "../../domain/trading/risk-config.ts";
import { NO_RISK_CONTROLS } from "../../domain/trading/risk-settings.ts";

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
  return {
    symbol: market.symbol,
    timeframe: market.timeframe,
    candles: market.candles,
    firstIndex: market.firstIndex,
    end: market.end,
    filters: market.filters,
    rules: rulesData(market.config),
  };
}

/** A configuration's rules as plain data (decimals as strings). */
export function rulesData(config: CycleConfig): MarketData["rules"] {
  return {
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
  };
}

/** The market a worker runs on, rebuilt from its plain data (each task brings its own copy). */
function marketOf(data: MarketData): OptimizeMarket {
  return { ...data, series: toCandleSeries(data.candles), config: configOf(data.rules) };
}

/** The configuration a worker runs with, rebuilt from the rules' plain data. */
function configOf(r: MarketData["rules"]): CycleConfig {
  return {
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
}

/** A whole account, as plain data: its pairs (candles, filters, strategy and parameters, own risk) and its rules. */
export interface PortfolioData {
  readonly pairs: readonly {
    readonly symbol: string;
    readonly timeframe: Timeframe;
    readonly candles: readonly Candle[];
    readonly filters: SymbolFilters;
    readonly strategy: string;
    readonly params: Readonly<Record<string, number>>;
    readonly risk: string | undefined;
  }[];
  readonly from: number;
  readonly to: number;
  readonly rules: MarketData["rules"];
}

/** The account a worker searches, rebuilt from its plain data. */
function portfolioOf(data: PortfolioData): PortfolioMarket {
  const config = configOf(data.rules);
  const pairs = data.pairs.map((p) => ({
    symbol: p.symbol,
    timeframe: p.timeframe,
    candles: p.candles,
    filters: p.filters,
    series: toCandleSeries(p.candles),
    strategy: strategyNamed(p.strategy, p.params),
    params: p.params,
    risk: p.risk ? parseRiskSettings(p.risk, `${p.symbol} ${p.timeframe}'s risk settings`) : undefined,
  }));
  return { pairs, schedule: portfolioSchedule(pairs, data.from, data.to), config };
}

/** One batch of settings, as a worker runs it: of one pair (`market`) or of a whole account (`portfolio`). */
export interface Task {
  readonly market?: MarketData;
  readonly portfolio?: PortfolioData;
  readonly strategy: string;
  readonly settings: readonly Setting[];
  /** The search's first batch: check the strategy for lookahead. */
  readonly first: boolean;
}

export function runTask(task: Task): {
  evaluations: Evaluation[];
  skipped: { setting: Setting; why: string }[];
} {
  if (task.portfolio)
    return evaluatePortfolioSettings(portfolioOf(task.portfolio), findStrategy(task.strategy), task.settings);
  if (!task.market) throw new Error("a task has a market or a portfolio");
  return evaluateSettings(marketOf(task.market), findStrategy(task.strategy), task.settings, task.first);
}
