import { type Calendar, calendarOf, type Evaluation, evaluation } from "../optimize/evaluation.ts";
import type { Setting } from "../optimize/rule-params.ts";
import type { RebalanceBacktest } from "./run-rebalance.ts";

/** The closes a rebalancing replay visits from `from` to `to` (open times), and their UTC days. */
export function rebalanceCalendar(
  from: number,
  to: number,
  interval: number,
): { closes: Float64Array; calendar: Calendar } {
  const closes = new Float64Array(Math.floor((to - from) / interval) + 1);
  for (let i = 0; i < closes.length; i++) closes[i] = from + i * interval + interval;
  return { closes, calendar: calendarOf(closes) };
}

/**
 * A rebalancing setting's replay as the optimizer's evaluation: its equity at every close (the
 * curve the rebalancing backtest reports), its days, and each rebalance's buys as its entries; so
 * that walk-forward and the overfitting statistics read it as they read a strategy's. `days` is
 * the replay's `rebalanceCalendar`, the same for every setting of a search.
 */
export function rebalanceEvaluation(
  setting: Setting,
  run: RebalanceBacktest,
  days: { readonly closes: Float64Array; readonly calendar: Calendar; readonly from: number },
  interval: number,
  initialBalance: number,
): Evaluation {
  const simulation = {
    equity: Float64Array.from(run.marks, (m) => Number(m.equity.toFixed())),
    // Buys only: a rebalance's partial sells are no round trips (no profit factor for a basket).
    trades: run.fills.filter((f) => f.side === "BUY"),
    exposed: 0,
  };
  return evaluation(setting, simulation, days.closes, days.from, initialBalance, days.calendar, interval);
}
