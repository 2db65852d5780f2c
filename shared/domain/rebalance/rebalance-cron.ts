import { timeframeMs } from "../market/timeframe.ts";
import type { Basket } from "./basket.ts";

const HOUR_MS = 3_600_000;
const WEEK_HOURS = 168;
/** 1970-01-01 was a Thursday; weekly candles close on Mondays. */
const ORIGIN_WEEKDAY = { week: "MON", other: "THU" } as const;
const WEEKDAY_NAMES: Record<string, string> = { MON: "Monday", THU: "Thursday" };

export interface RebalanceCron {
  /** EventBridge cron fields (UTC), as `closeCron` gives them. */
  readonly cron: { minute: string; hour: string; weekDay?: string };
  /** True when the cron fires at the scheduled times only; false: at a superset, the others held. */
  readonly exact: boolean;
  /** When it fires, in words: "daily at 12:00 UTC", "every 4 hours from 02:00 UTC", "Thursdays at 00:00 UTC". */
  readonly text: string;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const clock = (hour: number) => `${String(hour).padStart(2, "0")}:00 UTC`;

/**
 * The narrowest EventBridge cron that fires at every scheduled time of a basket: exactly them when
 * the period divides a day or is a week; otherwise the hours of the day (or the weekday) they all
 * fall on, where the function answers HOLD at the times in between. A rule at every close of the
 * timeframe would invoke the function `every` times for each rebalance.
 */
export function rebalanceCron(basket: Pick<Basket, "timeframe" | "every" | "hourUtc">): RebalanceCron {
  const periodHours = (basket.every * timeframeMs(basket.timeframe)) / HOUR_MS;
  if (periodHours % WEEK_HOURS === 0) {
    const weekDay = basket.timeframe === "1w" ? ORIGIN_WEEKDAY.week : ORIGIN_WEEKDAY.other;
    return {
      cron: { minute: "0", hour: String(basket.hourUtc), weekDay },
      exact: periodHours === WEEK_HOURS,
      text: `${WEEKDAY_NAMES[weekDay]}s at ${clock(basket.hourUtc)}`,
    };
  }
  // Every scheduled time falls on the same hours of each day: the period's common divisor with 24.
  const step = gcd(periodHours, 24);
  const first = basket.hourUtc % step;
  const hour = step === 24 ? String(basket.hourUtc) : step === 1 ? "*" : `${first}/${step}`;
  const text =
    step === 24
      ? `daily at ${clock(basket.hourUtc)}`
      : step === 1
        ? "every hour"
        : `every ${step} hours from ${clock(first)}`;
  return { cron: { minute: "0", hour }, exact: periodHours === step, text };
}

const WEEKDAY_NUMBER: Record<string, number> = { MON: 1, THU: 4 };

/** Whether the basket's rule fires at `time` (epoch ms): `npm start` calls a rebalance when the deployed rule would. */
export function rebalanceFiresAt(
  basket: Pick<Basket, "timeframe" | "every" | "hourUtc">,
  time: number,
): boolean {
  if (time % HOUR_MS !== 0) return false;
  const { cron } = rebalanceCron(basket);
  const at = new Date(time);
  if (cron.weekDay !== undefined && at.getUTCDay() !== WEEKDAY_NUMBER[cron.weekDay]) return false;
  if (cron.hour === "*") return true;
  const [first, step] = cron.hour.split("/").map(Number) as [number, number | undefined];
  const hour = at.getUTCHours();
  return step === undefined ? hour === first : hour >= first && (hour - first) % step === 0;
}
