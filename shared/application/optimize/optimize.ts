import type { Candle } from "../../domain/market/candle.ts";
import { timeframeMs } from "../../domain/market/timeframe.ts";
import { configureStrategy } from "../../domain/strategies/configure.ts";
import type { Strategy } from "../../domain/strategies/strategy.ts";
import { checkNoLookahead, lookaheadProbes } from "../backtest/lookahead.ts";
import { type CycleConfig, candleCount } from "../cycle/index.ts";
import {
  type Calendar,
  calendarOf,
  dayReturns,
  type Evaluation,
  evaluation,
  type Metrics,
  type Objective,
  score,
} from "./evaluation.ts";
import { deflatedSharpe, periodSharpe, probabilityOfOverfitting } from "./overfitting.ts";
import type { Setting } from "./rule-params.ts";
import { splitSetting, withRules } from "./rule-params.ts";
import { type SimulationInput, simulate } from "./simulate.ts";
import { type WalkForward, type WalkForwardSpec, walkForward, windowsOf } from "./walk-forward.ts";

/** The candles and rules every setting runs on. */
export type OptimizeMarket = Omit<SimulationInput, "strategy">;

/** The close time of each traded candle, and its UTC days. */
export function timeline(market: OptimizeMarket): {
  closes: Float64Array;
  calendar: Calendar;
  start: number;
} {
  const interval = timeframeMs(market.timeframe);
  const closes = new Float64Array(market.end - market.firstIndex);
  for (let i = market.firstIndex; i < market.end; i++)
    closes[i - market.firstIndex] = (market.candles[i] as Candle).openTime + interval;
  return {
    closes,
    calendar: calendarOf(closes),
    start: (market.candles[market.firstIndex] as Candle).openTime,
  };
}

/**
 * Runs each setting once over the whole period (the same simulation as the backtest) and keeps its
 * figures and days; a setting the strategy refuses (its own check) or that needs more candles than
 * the window is skipped, with why.
 */
export function evaluateSettings(
  market: OptimizeMarket,
  strategy: Strategy,
  settings: readonly Setting[],
  /** Check the first setting that runs for lookahead (a property of the strategy's code: once a search is enough). */
  checkLookahead = true,
): { evaluations: Evaluation[]; skipped: { setting: Setting; why: string }[] } {
  const { closes, calendar, start } = timeline(market);
  const interval = timeframeMs(market.timeframe);
  const initial = Number(market.config.initialBalance.toFixed());
  const evaluations: Evaluation[] = [];
  const skipped: { setting: Setting; why: string }[] = [];
  for (const setting of settings) {
    let configured: ReturnType<typeof configureStrategy>;
    let config: CycleConfig;
    try {
      const parts = splitSetting(setting);
      configured = configureStrategy(strategy, parts.strategy);
      config = { ...withRules(market.config, parts.rules, market.timeframe), strategy: configured };
    } catch (error) {
      skipped.push({ setting, why: (error as Error).message });
      continue;
    }
    if (
      configured.minimumCandles > market.config.window ||
      configured.minimumCandles > market.firstIndex + 1
    ) {
      skipped.push({ setting, why: `needs ${configured.minimumCandles} candles before the first traded` });
      continue;
    }
    const run = simulate({ ...market, strategy: configured, config });
    // A strategy that reads later candles fails on the search's first setting, loudly (lookahead.ts).
    if (checkLookahead && evaluations.length === 0) {
      const traded = run.trades.map(
        (t) => market.firstIndex + Math.round((t.candleTime + interval - (closes[0] as number)) / interval),
      );
      checkNoLookahead(
        configured,
        market.series,
        lookaheadProbes(market.firstIndex, market.end, traded),
        candleCount(configured, config),
        interval,
      );
    }
    evaluations.push(evaluation(setting, run, closes, start, initial, calendar, interval));
  }
  return { evaluations, skipped };
}

export interface Ranked {
  readonly setting: Setting;
  readonly metrics: Metrics;
  readonly score: number | undefined;
  readonly finalEquity: number;
}

export interface OptimizeResult {
  readonly objective: Objective;
  readonly minTrades: number;
  readonly evaluated: number;
  /** Best first; settings with fewer than minTrades entries, or whose objective is undefined, last. */
  readonly ranked: readonly Ranked[];
  readonly walkForward: WalkForward | undefined;
  readonly overfitting: {
    /** CSCV over the qualifying settings' daily returns (NaN with fewer than two). */
    readonly pbo: number;
    readonly splits: number;
    /** The deflated Sharpe ratio of the best setting, against every setting tried. */
    readonly deflatedSharpe: number;
    /** The same for the setting a watchlist entry carries (the last walk-forward window's choice, else the best). */
    readonly chosenDeflatedSharpe: number;
    readonly bestDailySharpe: number;
    readonly expectedMaxDailySharpe: number;
    readonly trials: number;
  };
  /** The run's days, for charts: the first day's start (epoch ms) and how many. */
  readonly days: { readonly first: number; readonly count: number };
}

/** Ranks the evaluations by the objective (full period), then validates: walk-forward, CSCV and the deflated Sharpe ratio. */
export function rankAndValidate(
  evaluations: readonly Evaluation[],
  options: {
    objective: Objective;
    minTrades: number;
    initialBalance: number;
    walkForward?: WalkForwardSpec | undefined;
    calendar: Calendar;
    /** When the first traded candle opened (epoch ms): a first day begun past 00:00 UTC is partial. */
    start?: number | undefined;
  },
): OptimizeResult {
  const { objective, minTrades, initialBalance, calendar } = options;
  const ranked: Ranked[] = evaluations.map((e) => ({
    setting: e.setting,
    metrics: e.full,
    score: e.full.entries >= minTrades ? score(e.full, objective) : undefined,
    finalEquity: e.finalEquity,
  }));
  const order = ranked.map((_, i) => i);
  order.sort(
    (a, b) =>
      (ranked[b]?.score ?? Number.NEGATIVE_INFINITY) - (ranked[a]?.score ?? Number.NEGATIVE_INFINITY) ||
      a - b,
  );
  const days = calendar.dayStart.length;
  const firstDay = Math.round((calendar.dayStart[0] ?? 0) / 86_400_000);
  const wf = options.walkForward
    ? walkForward(
        evaluations,
        windowsOf(options.walkForward, firstDay, days),
        objective,
        minTrades,
        initialBalance,
      )
    : undefined;
  const qualifying = order
    .filter((i) => ranked[i]?.score !== undefined)
    .map((i) => evaluations[i] as Evaluation);
  // One daily series everywhere: the ranked Sharpe's (evaluation.ts), which leaves out a partial
  // first day (from the first candle's open to that day's close), as the backtest's does.
  const from = options.start !== undefined && options.start % 86_400_000 !== 0 ? 1 : 0;
  const returns = qualifying.map((e) => dayReturns(e, from, days, initialBalance));
  const cscv = probabilityOfOverfitting(returns);
  const trials = evaluations.map((e) => periodSharpe(dayReturns(e, from, days, initialBalance)));
  const best = returns[0];
  const dsr = best
    ? deflatedSharpe(best, trials)
    : { sharpe: Number.NaN, expectedMax: Number.NaN, probability: Number.NaN };
  // The setting a watchlist entry carries (the last window's choice, or the best in-sample) has its
  // own deflated Sharpe ratio: the entry says that one, not the whole period's best's.
  const chosenSetting = wf ? wf.windows.at(-1)?.chosen : qualifying[0]?.setting;
  const chosen = chosenSetting
    ? evaluations.find((e) => JSON.stringify(e.setting) === JSON.stringify(chosenSetting))
    : undefined;
  const chosenDsr = chosen
    ? deflatedSharpe(dayReturns(chosen, from, days, initialBalance), trials).probability
    : Number.NaN;
  return {
    objective,
    minTrades,
    evaluated: evaluations.length,
    ranked: order.map((i) => ranked[i] as Ranked),
    walkForward: wf,
    overfitting: {
      pbo: cscv.pbo,
      splits: cscv.splits,
      deflatedSharpe: dsr.probability,
      chosenDeflatedSharpe: chosenDsr,
      bestDailySharpe: dsr.sharpe,
      expectedMaxDailySharpe: dsr.expectedMax,
      trials: evaluations.length,
    },
    days: { first: calendar.dayStart[0] ?? 0, count: days },
  };
}
