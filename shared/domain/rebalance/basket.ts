import { type Timeframe, timeframeMs } from "../market/timeframe.ts";
import type { Decimal } from "../money/decimal.ts";

/** How a basket's target weights are set. */
export const WEIGHTINGS = ["fixed", "equal", "inverse-volatility"] as const;
export type Weighting = (typeof WEIGHTINGS)[number];

/** The timeframes a rebalance may run on: its legs' candles, and the unit of its schedule. */
export const REBALANCE_TIMEFRAMES = ["1h", "4h", "1d", "1w"] as const;
export type RebalanceTimeframe = (typeof REBALANCE_TIMEFRAMES)[number];

/** The pseudo-pair a rebalance records its runs under (its "symbol"): one record per scheduled time. */
export const REBALANCE_PAIR = "REBALANCE";

/**
 * A rebalancing account: a basket of symbols held at target weights, rebalanced at every
 * `every`-th close of `timeframe` when some weight drifted more than `bandPct` points from its
 * target (0: at every scheduled time).
 */
export interface Basket {
  readonly accountId: string;
  readonly symbols: readonly string[];
  readonly weighting: Weighting;
  /** fixed: each symbol's percent of equity (the rest is cash). */
  readonly weights: Readonly<Record<string, Decimal>> | undefined;
  /** equal, inverse-volatility: the percent of equity kept in cash. */
  readonly cashPct: Decimal;
  /** inverse-volatility: days of daily returns σ is measured over. */
  readonly lookbackDays: number;
  readonly timeframe: RebalanceTimeframe;
  /** Rebalance at every `every`-th close of the timeframe, counted from 1970-01-01 (weeks: Mondays) at `hourUtc`. */
  readonly every: number;
  /** The hour (UTC) the count starts from: 12 with 1h candles and every 24 is daily at 12:00 UTC. */
  readonly hourUtc: number;
  /** Percentage points a weight may drift from its target before a rebalance trades. */
  readonly bandPct: Decimal;
  readonly initialBalance: Decimal;
  readonly feeRate: Decimal;
  /** Basis points each leg's fill gives up against its close (tradingBot.risk.slippageBps by default). */
  readonly slippageBps: Decimal;
}

const WEEK_OFFSET = 4 * 86_400_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The index of a close on the timeframe's grid: 0 at 1970-01-01 `hourUtc`:00 UTC (weeks: Monday
 * 1970-01-05); a close off the grid (its candles do not close at that hour) is never one.
 */
function closeIndex(closeTime: number, timeframe: Timeframe, hourUtc: number): number | undefined {
  const offset = (timeframe === "1w" ? WEEK_OFFSET : 0) + hourUtc * HOUR_MS;
  const index = (closeTime - offset) / timeframeMs(timeframe);
  return Number.isInteger(index) ? index : undefined;
}

/** True when the basket rebalances at this close of its timeframe. */
export function isRebalanceClose(
  basket: Pick<Basket, "timeframe" | "every" | "hourUtc">,
  closeTime: number,
): boolean {
  const index = closeIndex(closeTime, basket.timeframe, basket.hourUtc);
  return index !== undefined && ((index % basket.every) + basket.every) % basket.every === 0;
}

/** The hours of the day at which the timeframe's candles close (1h: any; 4h: 0, 4, …, 20; 1d, 1w: 0). */
export function closingHours(timeframe: RebalanceTimeframe): number[] {
  const step = Math.min(24, timeframeMs(timeframe) / HOUR_MS);
  return Array.from({ length: 24 / step }, (_, k) => k * step);
}

/** 2 → "2nd", 11 → "11th", 23 → "23rd". */
function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** The schedule in words: "every 24th 1h close, counted from 12:00 UTC"; "every 2nd 1w close". */
export function scheduleText(basket: Pick<Basket, "timeframe" | "every" | "hourUtc">): string {
  const every = `every ${basket.every === 1 ? "" : `${ordinal(basket.every)} `}${basket.timeframe} close`;
  return basket.hourUtc === 0
    ? every
    : `${every}, counted from ${String(basket.hourUtc).padStart(2, "0")}:00 UTC`;
}

/** Candles of the timeframe in a day (inverse-volatility samples one close a day). */
export function candlesPerDay(timeframe: RebalanceTimeframe): number {
  return Math.max(1, DAY_MS / timeframeMs(timeframe));
}

/** The closed candles a rebalance reads per leg: its close, or a look-back of daily returns. */
export function candlesNeeded(basket: Pick<Basket, "weighting" | "lookbackDays" | "timeframe">): number {
  return basket.weighting === "inverse-volatility"
    ? basket.lookbackDays * candlesPerDay(basket.timeframe) + 1
    : 1;
}
