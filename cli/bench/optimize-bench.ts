import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { marketData } from "../../shared/adapters/optimize/optimize-task.ts";
import { runBacktest } from "../../shared/application/backtest/run-backtest.ts";
import { rankAndValidate, timeline } from "../../shared/application/optimize/optimize.ts";
import type { Setting } from "../../shared/application/optimize/rule-params.ts";
import { grid, parseAxis } from "../../shared/application/optimize/search-space.ts";
import { simulate } from "../../shared/application/optimize/simulate.ts";
import { parseWalkForward } from "../../shared/application/optimize/walk-forward.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { toCandleSeries } from "../../shared/domain/market/candle-series.ts";
import { findStrategy, STRATEGIES, strategyNamed } from "../../shared/domain/strategies/registry.ts";
import { BNBUSDT_FILTERS } from "../backtest/backtest-data.ts";
import { runSettings } from "../optimize/run-settings.ts";

const FIRST = 299;

/** Candle-steps a second on one core, each strategy with its defaults: the optimizer's path and npm run backtest's, in the same run. */
export async function benchSteps(year: readonly Candle[]) {
  const series = toCandleSeries(year);
  const steps = year.length - FIRST;
  const out: {
    strategy: string;
    optimizerPerSecond: number;
    backtestPerSecond: number;
    usPerStep: number;
  }[] = [];
  for (const spec of STRATEGIES) {
    const strategy = strategyNamed(spec.name);
    const config = { ...DEFAULT_CYCLE_CONFIG, strategy };
    const input = {
      symbol: "BNBUSDT",
      timeframe: "1h" as const,
      candles: year,
      series,
      firstIndex: FIRST,
      end: year.length,
      filters: BNBUSDT_FILTERS,
      config,
      strategy,
    };
    for (let i = 0; i < 6; i++) simulate(input); // warm-up: let the JIT settle
    let started = performance.now();
    const rounds = 10;
    for (let i = 0; i < rounds; i++) simulate(input);
    const fastMs = (performance.now() - started) / rounds;
    const backtest = () =>
      runBacktest({
        stores: memoryReplayStores,
        symbol: "BNBUSDT",
        timeframe: "1h",
        candles: [...year],
        firstIndex: FIRST,
        filters: BNBUSDT_FILTERS,
        config,
      });
    await backtest();
    started = performance.now();
    await backtest();
    const slowMs = performance.now() - started;
    out.push({
      strategy: spec.name,
      optimizerPerSecond: Math.round((steps / fastMs) * 1000),
      backtestPerSecond: Math.round((steps / slowMs) * 1000),
      usPerStep: (fastMs * 1000) / steps,
    });
  }
  return out;
}

async function timed(
  year: readonly Candle[],
  strategyName: string,
  settings: Setting[],
  walkForward?: string,
) {
  const strategy = findStrategy(strategyName);
  const market = {
    symbol: "BNBUSDT",
    timeframe: "1h" as const,
    candles: year,
    series: toCandleSeries(year),
    firstIndex: FIRST,
    end: year.length,
    filters: BNBUSDT_FILTERS,
    config: { ...DEFAULT_CYCLE_CONFIG, defaultAccountId: "optimize" },
  };
  const started = performance.now();
  const outcome = await runSettings({
    market: marketData(market),
    strategy: strategy.name,
    settings,
    workers: undefined,
    onProgress: () => {},
    stopped: () => false,
  });
  const result = rankAndValidate(outcome.evaluations, {
    objective: "sharpe",
    minTrades: 5,
    initialBalance: 10_000,
    walkForward: walkForward ? parseWalkForward(walkForward) : undefined,
    calendar: timeline(market).calendar,
    start: timeline(market).start,
  });
  return {
    seconds: (performance.now() - started) / 1000,
    evaluated: result.evaluated,
    windows: result.walkForward?.windows.length ?? 0,
  };
}

/** The two runs over a year of 1h candles: a 10,000-setting ma-distance grid, and a walk-forward of 1,000 settings × 10 windows. */
export async function benchOptimizer(year: readonly Candle[]) {
  const ma = findStrategy("ma-distance");
  const axes = (texts: string[]) => Object.fromEntries(texts.map((t) => parseAxis(ma, t)));
  const tenThousand = grid(axes(["maPeriod=5..254:1", "buyThreshold=-8..-0.2:0.2"]));
  const thousand = grid(axes(["maPeriod=10..109:1", "buyThreshold=-5..-0.5:0.5"]));
  const gridRun = await timed(year, "ma-distance", tenThousand);
  const walkRun = await timed(year, "ma-distance", thousand, "train=2m,test=1m");
  return { grid: gridRun, walkForward: walkRun };
}
