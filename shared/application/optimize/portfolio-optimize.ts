import { timeframeMs } from "../../domain/market/timeframe.ts";
import { configureStrategy } from "../../domain/strategies/configure.ts";
import type { ConfiguredStrategy, Strategy } from "../../domain/strategies/strategy.ts";
import type { RiskSettings } from "../../domain/trading/risk-settings.ts";
import type { CycleConfig } from "../cycle/index.ts";
import { type Calendar, calendarOf, type Evaluation, evaluation } from "./evaluation.ts";
import type { Setting } from "./rule-params.ts";
import { splitSetting, withRules } from "./rule-params.ts";
import { type PortfolioSchedule, type SimulatedPair, simulatePortfolio } from "./simulate-portfolio.ts";

/** One pair of the account as the watchlist configures it: its strategy and parameters, its own risk. */
export interface AccountPair extends Omit<SimulatedPair, "strategy" | "rules"> {
  readonly strategy: ConfiguredStrategy;
  /** Its parameters as the watchlist writes them (a searched setting's override them). */
  readonly params: Readonly<Record<string, number>>;
  readonly risk: RiskSettings | undefined;
}

/** Everything a portfolio search runs on: the account's pairs, the closes and the base configuration. */
export interface PortfolioMarket {
  readonly pairs: readonly AccountPair[];
  readonly schedule: PortfolioSchedule;
  readonly config: CycleConfig;
}

/** The days of the search and where they start. */
export function portfolioTimeline(market: PortfolioMarket): { calendar: Calendar; start: number } {
  const first = market.schedule.closes[0] ?? 0;
  const finest = Math.min(...market.pairs.map((p) => timeframeMs(p.timeframe)));
  return { calendar: calendarOf(market.schedule.closes), start: first - finest };
}

/**
 * Runs each setting over the whole period on the whole account: the strategy's parameters for
 * every pair that trades `strategy` (over each pair's own), the account's rules (maxOpenPositions,
 * the stake of every timeframe, the risk controls) for every pair; figures on the account's equity.
 */
export function evaluatePortfolioSettings(
  market: PortfolioMarket,
  strategy: Strategy,
  settings: readonly Setting[],
): { evaluations: Evaluation[]; skipped: { setting: Setting; why: string }[] } {
  const { closes } = market.schedule;
  const { calendar, start } = portfolioTimeline(market);
  const finest = Math.min(...market.pairs.map((p) => timeframeMs(p.timeframe)));
  const initial = Number(market.config.initialBalance.toFixed());
  const evaluations: Evaluation[] = [];
  const skipped: { setting: Setting; why: string }[] = [];
  for (const setting of settings) {
    let pairs: SimulatedPair[];
    try {
      const parts = splitSetting(setting);
      pairs = market.pairs.map((p) => {
        const base = p.risk
          ? { ...market.config, rules: { ...market.config.rules, risk: p.risk } }
          : market.config;
        const config = withRules(base, parts.rules, p.timeframe);
        const configured =
          p.strategy.name === strategy.name
            ? configureStrategy(strategy, { ...p.params, ...parts.strategy })
            : p.strategy;
        if (configured.minimumCandles > market.config.window)
          throw new RangeError(
            `needs ${configured.minimumCandles} candles, more than the window of ${market.config.window}`,
          );
        return { ...p, strategy: configured, rules: config.rules };
      });
    } catch (error) {
      skipped.push({ setting, why: (error as Error).message });
      continue;
    }
    const run = simulatePortfolio({
      pairs,
      schedule: market.schedule,
      initialBalance: market.config.initialBalance.toFixed(),
      quoteAsset: market.config.quoteAsset,
      window: market.config.window,
    });
    // Each fill on the day its own candle closed (the evaluation counts from the finest timeframe).
    const trades = run.trades.map((t) => ({
      ...t,
      candleTime: t.candleTime + timeframeMs(t.timeframe) - finest,
    }));
    evaluations.push(evaluation(setting, { ...run, trades }, closes, start, initial, calendar, finest));
  }
  return { evaluations, skipped };
}
