import { maxDrawdown } from "../../domain/backtest/performance.ts";
import {
  type Calendar,
  dayReturns,
  type Evaluation,
  type Metrics,
  type Objective,
  score,
  windowMetrics,
} from "./evaluation.ts";
import type { Setting } from "./rule-params.ts";

export interface Span {
  readonly count: number;
  readonly unit: "d" | "w" | "m" | "y";
}

export interface WalkForwardSpec {
  readonly train: Span;
  readonly test: Span;
  /** Every training window starts at the first day (growing), instead of rolling forward. */
  readonly anchored: boolean;
}

const SPAN = /^(\d+)([dwmy])$/;

/** `train=6m,test=1m` (d days, w weeks, m calendar months, y years), with `anchored` for growing training windows. */
export function parseWalkForward(text: string): WalkForwardSpec {
  const parts = Object.fromEntries(
    text.split(",").map((p) => {
      const [k, v] = p.split("=");
      return [k?.trim(), v?.trim() ?? "true"];
    }),
  );
  const span = (key: "train" | "test"): Span => {
    const match = SPAN.exec(parts[key] ?? "");
    if (!match || Number(match[1]) < 1)
      throw new RangeError(`--walk-forward ${text}: ${key}= must be a span such as 30d, 2w, 6m or 1y`);
    return { count: Number(match[1]), unit: match[2] as Span["unit"] };
  };
  const unknown = Object.keys(parts).filter((k) => !["train", "test", "anchored"].includes(k as string));
  if (unknown.length)
    throw new RangeError(
      `--walk-forward ${text}: unknown part(s) ${unknown.join(", ")}; e.g. train=6m,test=1m,anchored`,
    );
  return { train: span("train"), test: span("test"), anchored: parts.anchored !== undefined };
}

const DAY_MS = 86_400_000;

function after(day: number, span: Span): number {
  if (span.unit === "d") return day + span.count;
  if (span.unit === "w") return day + 7 * span.count;
  const date = new Date(day * DAY_MS);
  const months = span.unit === "m" ? span.count : 12 * span.count;
  return Math.round(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate()) / DAY_MS);
}

/** One walk-forward step, in day indices of the run (half-open): train on [trainFrom, trainTo), trade on [trainTo, testTo). */
export interface Window {
  readonly trainFrom: number;
  readonly trainTo: number;
  readonly testTo: number;
}

/** The windows over days 0..days of a run whose first day starts at `firstDay` (days since 1970); a last test window may be shorter. */
export function windowsOf(spec: WalkForwardSpec, firstDay: number, days: number): Window[] {
  const out: Window[] = [];
  let trainFrom = firstDay;
  let trainTo = after(firstDay, spec.train);
  while (trainTo - firstDay < days) {
    const testTo = Math.min(after(trainTo, spec.test), firstDay + days);
    out.push({ trainFrom: trainFrom - firstDay, trainTo: trainTo - firstDay, testTo: testTo - firstDay });
    if (!spec.anchored) trainFrom = after(trainFrom, spec.test);
    trainTo = testTo;
  }
  return out;
}

export interface WindowResult extends Window {
  /** The setting chosen on the training days (undefined: none traded enough; the test days stay in cash). */
  readonly chosen: Setting | undefined;
  readonly inSample: Metrics | undefined;
  readonly outOfSample: Metrics | undefined;
}

export interface WalkForward {
  readonly windows: readonly WindowResult[];
  /** The test windows stitched: the equity at each test day's close, from the initial balance. */
  readonly stitched: Float64Array;
  /** The first stitched day (index into the run's days). */
  readonly firstDay: number;
  readonly outOfSample: { returnPct: number; sharpe: number | null; maxDrawdownPct: number };
  /** Mean over the windows of the chosen setting's training figures. */
  readonly inSample: { returnPct: number; sharpe: number | null; maxDrawdownPct: number };
  /** Windows whose choice differs from the window before's. */
  readonly changes: number;
}

/**
 * Walk-forward: on each training window the best setting by `objective` among those with at least
 * `minTrades` entries there, then that setting's days of the test window that follows (each
 * setting ran once over the whole period: a test window sees the position it carried in). The test
 * windows' daily returns are chained into one out-of-sample curve.
 */
export function walkForward(
  evaluations: readonly Evaluation[],
  windows: readonly Window[],
  objective: Objective,
  minTrades: number,
  initialBalance: number,
): WalkForward {
  const results: WindowResult[] = [];
  const returns: number[] = [];
  for (const w of windows) {
    let best: Evaluation | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    let bestMetrics: Metrics | undefined;
    for (const e of evaluations) {
      const m = windowMetrics(e, w.trainFrom, w.trainTo, initialBalance);
      const s = m.entries >= minTrades ? score(m, objective) : undefined;
      if (s !== undefined && s > bestScore) {
        bestScore = s;
        best = e;
        bestMetrics = m;
      }
    }
    const test = best
      ? dayReturns(best, w.trainTo, w.testTo, initialBalance)
      : new Float64Array(w.testTo - w.trainTo);
    returns.push(...test);
    results.push({
      ...w,
      chosen: best?.setting,
      inSample: bestMetrics,
      outOfSample: best ? windowMetrics(best, w.trainTo, w.testTo, initialBalance) : undefined,
    });
  }
  const stitched = new Float64Array(returns.length);
  let equity = initialBalance;
  returns.forEach((r, i) => {
    equity *= 1 + r;
    stitched[i] = equity;
  });
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const chosen = results.filter((r) => r.inSample);
  const sharpes = chosen.map((r) => r.inSample?.sharpe).filter((s): s is number => typeof s === "number");
  const daily = returns;
  const m = mean(daily);
  const sd = Math.sqrt(daily.reduce((a, r) => a + (r - m) ** 2, 0) / Math.max(1, daily.length - 1));
  const firstDay = windows[0]?.trainTo ?? 0;
  const curve = [
    { time: 0, equity: initialBalance },
    ...[...stitched].map((e, i) => ({ time: i + 1, equity: e })),
  ];
  let changes = 0;
  for (let i = 1; i < results.length; i++)
    if (JSON.stringify(results[i]?.chosen) !== JSON.stringify(results[i - 1]?.chosen)) changes++;
  return {
    windows: results,
    stitched,
    firstDay,
    outOfSample: {
      returnPct: Math.round((equity / initialBalance - 1) * 1e6) / 1e4,
      sharpe: daily.length > 1 && sd > 0 ? Math.round((m / sd) * Math.sqrt(365) * 1e4) / 1e4 : null,
      maxDrawdownPct: Math.round(maxDrawdown(curve).fraction * 1e6) / 1e4,
    },
    inSample: {
      returnPct: Math.round(mean(chosen.map((r) => r.inSample?.returnPct ?? 0)) * 1e4) / 1e4,
      maxDrawdownPct: Math.round(mean(chosen.map((r) => r.inSample?.maxDrawdownPct ?? 0)) * 1e4) / 1e4,
      sharpe: sharpes.length ? Math.round(mean(sharpes) * 1e4) / 1e4 : null,
    },
    changes,
  };
}

/**
 * Why a walk-forward cannot run on the calendar's days: no training window fits with a test day
 * after it (a usage mistake, said before any search); undefined when one fits.
 */
export function walkForwardMisfit(
  spec: WalkForwardSpec,
  text: string,
  calendar: Pick<Calendar, "dayStart">,
): string | undefined {
  const firstDay = Math.round((calendar.dayStart[0] ?? 0) / DAY_MS);
  const days = calendar.dayStart.length;
  if (windowsOf(spec, firstDay, days).length > 0) return undefined;
  const trainDays = after(firstDay, spec.train) - firstDay;
  return `--walk-forward ${text}: no window fits: the training span alone is ${trainDays} days and the data has ${days} days (${new Date(firstDay * 86_400_000).toISOString().slice(0, 10)} on); shorten train= or give a longer period`;
}
