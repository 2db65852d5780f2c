import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { rulesData } from "../../shared/adapters/optimize/optimize-task.ts";
import { type PortfolioPair, runPortfolio } from "../../shared/application/backtest/run-portfolio.ts";
import type { CycleConfig } from "../../shared/application/cycle/index.ts";
import {
  evaluatePortfolioSettings,
  type PortfolioMarket,
} from "../../shared/application/optimize/portfolio-optimize.ts";
import { grid, parseAxis } from "../../shared/application/optimize/search-space.ts";
import { simulate } from "../../shared/application/optimize/simulate.ts";
import { portfolioSchedule } from "../../shared/application/optimize/simulate-portfolio.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { toCandleSeries } from "../../shared/domain/market/candle-series.ts";
import { findStrategy, strategyNamed } from "../../shared/domain/strategies/registry.ts";
import { NO_RISK_CONTROLS } from "../../shared/domain/trading/risk-settings.ts";
import { BNBUSDT_FILTERS } from "../backtest/backtest-data.ts";
import { runSettings } from "../optimize/run-settings.ts";

const PAIRS = 20;
const FIRST = 299;

/** 20 symbols from one year of 1h candles: each takes the series 97 × k candles later (wrapping), so each moves on its own. */
export function twentyPairs(year: readonly Candle[]): PortfolioPair[] {
  return Array.from({ length: PAIRS }, (_, k) => {
    const symbol = `P${String(k).padStart(2, "0")}USDT`;
    const candles = year.map((c, i) => ({
      ...(year[(i + 97 * k) % year.length] as Candle),
      openTime: c.openTime,
    }));
    return {
      symbol,
      timeframe: "1h" as const,
      candles,
      filters: { ...BNBUSDT_FILTERS, symbol, baseAsset: symbol.slice(0, 3) },
    };
  });
}

/**
 * The portfolio figures, in one run beside the single-pair path: a backtest of 20 pairs over a year
 * of 1h candles through the cycle (ms), the portfolio simulation's candle-steps a second on one
 * core against the single-pair simulation's, and a 1,000-setting search over the 20 pairs (s).
 */
export async function benchPortfolio(year: readonly Candle[], settingsCount = 1_000) {
  const pairs = twentyPairs(year);
  const strategy = strategyNamed("ma-distance");
  const watchlist = pairs.map((p) => ({
    symbol: p.symbol,
    timeframe: p.timeframe,
    strategy,
    accountId: "paper",
    mode: "trade" as const,
  }));
  const config: CycleConfig = {
    ...DEFAULT_CYCLE_CONFIG,
    strategy,
    maxEventDelayMs: Number.POSITIVE_INFINITY,
    rules: { ...DEFAULT_CYCLE_CONFIG.rules, maxOpenPositions: 5, risk: NO_RISK_CONTROLS },
    watchlist,
  };
  const from = (year[FIRST] as Candle).openTime;
  const to = (year.at(-1) as Candle).openTime;
  let started = performance.now();
  const run = await runPortfolio({ accountId: "paper", pairs, from, to, config, stores: memoryReplayStores });
  const backtestMs = performance.now() - started;

  const market: PortfolioMarket = {
    pairs: pairs.map((p) => ({
      ...p,
      series: toCandleSeries(p.candles),
      strategy,
      params: {},
      risk: undefined,
    })),
    schedule: portfolioSchedule(pairs, from, to),
    config,
  };
  const steps = PAIRS * market.schedule.closes.length;
  const ma = findStrategy("ma-distance");
  for (let i = 0; i < 3; i++) evaluatePortfolioSettings(market, ma, [{}]); // warm-up
  started = performance.now();
  const rounds = 5;
  for (let i = 0; i < rounds; i++) evaluatePortfolioSettings(market, ma, [{}]);
  const portfolioPerSecond = Math.round((steps / ((performance.now() - started) / rounds)) * 1000);
  const single = {
    symbol: "BNBUSDT",
    timeframe: "1h" as const,
    candles: year,
    series: toCandleSeries(year),
    firstIndex: FIRST,
    end: year.length,
    filters: BNBUSDT_FILTERS,
    config: { ...config, watchlist: undefined },
    strategy,
  };
  for (let i = 0; i < 6; i++) simulate(single);
  started = performance.now();
  for (let i = 0; i < rounds * 4; i++) simulate(single);
  const singlePerSecond = Math.round(
    ((year.length - FIRST) / ((performance.now() - started) / (rounds * 4))) * 1000,
  );

  const axes = Object.fromEntries(
    ["maPeriod=20..218:2", "buyThreshold=-3,-2,-1.5,-1,-0.5,-0.25,-0.1,-0.05,-0.02,-0.01"].map((t) =>
      parseAxis(ma, t),
    ),
  );
  const settings = grid(axes).slice(0, settingsCount);
  started = performance.now();
  await runSettings({
    portfolio: {
      pairs: pairs.map((p) => ({ ...p, strategy: "ma-distance", params: {}, risk: undefined })),
      from,
      to,
      rules: rulesData(config),
    },
    strategy: "ma-distance",
    settings,
    workers: undefined,
    onProgress: () => {},
    stopped: () => false,
  });
  const searchSeconds = (performance.now() - started) / 1000;
  return {
    pairs: PAIRS,
    closes: market.schedule.closes.length,
    cycles: run.cycles.length,
    backtestMs,
    portfolioPerSecond,
    singlePerSecond,
    settings: settings.length,
    searchSeconds,
  };
}
