import {
  cagr,
  dailyReturns,
  type EquityPoint,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
} from "../../domain/backtest/performance.ts";
import { roundTrips } from "../../domain/backtest/round-trips.ts";
import type { Setting } from "./rule-params.ts";
import type { Simulation } from "./simulate.ts";

const DAY_MS = 86_400_000;

export type Objective = "sharpe" | "sortino" | "calmar" | "return" | "profit-factor";
export const OBJECTIVES: readonly Objective[] = ["sharpe", "sortino", "calmar", "return", "profit-factor"];

/** What a setting did over a stretch: the backtest report's figures (ratios annualised from daily returns). */
export interface Metrics {
  readonly returnPct: number;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly calmar: number | null;
  readonly maxDrawdownPct: number;
  readonly profitFactor: number | null;
  /** Entries (BUY fills) made. */
  /** Entries (BUY fills), what --min-trades counts; the backtest's "trades" are round trips. */
  readonly entries: number;
}

/** The UTC days of a run: which day each cycle's close falls in (a close at 00:00 ends the day before), and each day's start. */
export interface Calendar {
  readonly dayOf: Int32Array;
  readonly dayStart: Float64Array;
}

export function calendarOf(closes: ArrayLike<number>): Calendar {
  const dayOf = new Int32Array(closes.length);
  const starts: number[] = [];
  let previous = Number.NaN;
  for (let i = 0; i < closes.length; i++) {
    const day = Math.floor(((closes[i] as number) - 1) / DAY_MS);
    if (day !== previous) starts.push(day * DAY_MS);
    previous = day;
    dayOf[i] = starts.length - 1;
  }
  return { dayOf, dayStart: Float64Array.from(starts) };
}

/** A setting's run, kept small: its full-period figures and, per UTC day, its closing equity, entries and realised gains and losses. */
export interface Evaluation {
  readonly setting: Setting;
  readonly full: Metrics;
  readonly finalEquity: number;
  readonly dayEquity: Float64Array;
  readonly dayEntries: Uint16Array;
  readonly dayProfit: Float64Array;
  readonly dayLoss: Float64Array;
}

/**
 * The figures of a simulation, as `npm run backtest` computes them (the same curve: the initial
 * balance at the first candle's open, then the equity at each close), and its days.
 */
export function evaluation(
  setting: Setting,
  run: Simulation,
  closes: ArrayLike<number>,
  start: number,
  initialBalance: number,
  calendar: Calendar,
  interval: number,
): Evaluation {
  const days = calendar.dayStart.length;
  const dayEquity = new Float64Array(days);
  for (let i = 0; i < run.equity.length; i++)
    dayEquity[calendar.dayOf[i] as number] = run.equity[i] as number;
  const dayEntries = new Uint16Array(days);
  const dayProfit = new Float64Array(days);
  const dayLoss = new Float64Array(days);
  const dayOfTime = (time: number) => {
    // A fill's candle closes at time + interval: the day of that close.
    let lo = 0;
    let hi = closes.length - 1;
    const close = time + interval;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((closes[mid] as number) < close) lo = mid + 1;
      else hi = mid;
    }
    return calendar.dayOf[lo] as number;
  };
  let entries = 0;
  for (const t of run.trades) {
    if (t.side !== "BUY") continue;
    entries++;
    const d = dayOfTime(t.candleTime);
    dayEntries[d] = (dayEntries[d] as number) + 1;
  }
  // Gains and losses per round trip, after every fee, on the day it closed: the backtest's profit factor.
  let gross = 0;
  let loss = 0;
  for (const trip of roundTrips(run.trades)) {
    if (trip.exitTime === undefined) continue;
    const pnl = Number(trip.pnl.toFixed(8));
    const d = dayOfTime(trip.exitTime);
    if (pnl > 0) {
      gross += pnl;
      dayProfit[d] = (dayProfit[d] as number) + pnl;
    } else {
      loss -= pnl;
      dayLoss[d] = (dayLoss[d] as number) - pnl;
    }
  }
  // The backtest report's curve (the initial balance at the first open, then each close's equity),
  // read in place: the same drawdown, daily returns and growth, without a point object per candle.
  const n = run.equity.length;
  const at = (k: number) => (k === 0 ? initialBalance : (run.equity[k - 1] as number));
  const timeAt = (k: number) => (k === 0 ? start : (closes[k - 1] as number));
  let peak = Number.NEGATIVE_INFINITY;
  let drawdown = 0;
  const dayCloses: number[] = [];
  let previousDay = Number.NaN;
  for (let k = 0; k <= n; k++) {
    const equity = at(k);
    if (equity > peak) peak = equity;
    const fall = peak > 0 ? (peak - equity) / peak : 0;
    if (fall > drawdown) drawdown = fall;
    const d = Math.floor((timeAt(k) - 1) / DAY_MS);
    if (d === previousDay) dayCloses[dayCloses.length - 1] = equity;
    else dayCloses.push(equity);
    previousDay = d;
  }
  const returns: number[] = [];
  for (let k = 1; k < dayCloses.length; k++)
    returns.push((dayCloses[k] as number) / (dayCloses[k - 1] as number) - 1);
  const growth = cagr([
    { time: start, equity: initialBalance },
    { time: timeAt(n), equity: at(n) },
  ]);
  const finalEquity = at(n);
  return {
    setting,
    finalEquity,
    full: metricsOf({
      start: initialBalance,
      end: finalEquity,
      returns,
      growth,
      drawdown,
      gross,
      loss,
      entries,
    }),
    dayEquity,
    dayEntries,
    dayProfit,
    dayLoss,
  };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const nullable = (value: number | null) => (value === null ? null : round(value));

/** The figures over days [from, to) from the day series (drawdown on daily closes), starting from the equity the day before `from` closed with. */
export function windowMetrics(e: Evaluation, from: number, to: number, initialBalance: number): Metrics {
  const startEquity = from > 0 ? (e.dayEquity[from - 1] as number) : initialBalance;
  const curve: EquityPoint[] = [{ time: from * DAY_MS, equity: startEquity }];
  let entries = 0;
  let gross = 0;
  let loss = 0;
  for (let d = from; d < to; d++) {
    curve.push({ time: (d + 1) * DAY_MS, equity: e.dayEquity[d] as number });
    entries += e.dayEntries[d] as number;
    gross += e.dayProfit[d] as number;
    loss += e.dayLoss[d] as number;
  }
  const drawdown = maxDrawdown(curve).fraction;
  const growth = cagr(curve);
  const returns = dailyReturns(curve);
  const end = curve.at(-1)?.equity ?? startEquity;
  return metricsOf({ start: startEquity, end, returns, growth, drawdown, gross, loss, entries });
}

/** The figures as the backtest report rounds them (4 decimals; null where undefined). */
function metricsOf(f: {
  start: number;
  end: number;
  returns: readonly number[];
  growth: number | null;
  drawdown: number;
  gross: number;
  loss: number;
  entries: number;
}): Metrics {
  return {
    returnPct: round((f.end / f.start - 1) * 100),
    sharpe: nullable(sharpeRatio(f.returns)),
    sortino: nullable(sortinoRatio(f.returns)),
    calmar: f.growth !== null && f.drawdown > 0 ? round(f.growth / f.drawdown) : null,
    maxDrawdownPct: round(f.drawdown * 100),
    profitFactor: f.loss > 0 ? round(f.gross / f.loss) : null,
    entries: f.entries,
  };
}

/** The objective's value; undefined when the figures do not define it (no variance, no loss), so such a setting never wins. */
export function score(metrics: Metrics, objective: Objective): number | undefined {
  const value =
    objective === "sharpe"
      ? metrics.sharpe
      : objective === "sortino"
        ? metrics.sortino
        : objective === "calmar"
          ? metrics.calmar
          : objective === "return"
            ? metrics.returnPct
            : metrics.profitFactor;
  return value === null || !Number.isFinite(value) ? undefined : value;
}

/** Daily returns over days [from, to) (the first on the day before's close, or the initial balance). */
export function dayReturns(e: Evaluation, from: number, to: number, initialBalance: number): Float64Array {
  const out = new Float64Array(Math.max(0, to - from));
  let previous = from > 0 ? (e.dayEquity[from - 1] as number) : initialBalance;
  for (let d = from; d < to; d++) {
    const equity = e.dayEquity[d] as number;
    out[d - from] = previous > 0 ? equity / previous - 1 : 0;
    previous = equity;
  }
  return out;
}
