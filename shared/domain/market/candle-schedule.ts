import { lastClosedOpenTime, type Timeframe, timeframeMs } from "./timeframe.ts";

/** The timeframes a schedule can fire at every close (3d candles have no calendar rule). */
export const SCHEDULED_TIMEFRAMES = ["15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "1w"] as const;
export type ScheduledTimeframe = (typeof SCHEDULED_TIMEFRAMES)[number];

export function isScheduledTimeframe(value: string): value is ScheduledTimeframe {
  return (SCHEDULED_TIMEFRAMES as readonly string[]).includes(value);
}

/** The EventBridge cron (UTC) that fires at every close of a timeframe's candles. */
export function closeCron(timeframe: ScheduledTimeframe): { minute: string; hour: string; weekDay?: string } {
  switch (timeframe) {
    case "15m":
      return { minute: "0/15", hour: "*" };
    case "30m":
      return { minute: "0/30", hour: "*" };
    case "1h":
      return { minute: "0", hour: "*" };
    case "1d":
      return { minute: "0", hour: "0" };
    case "1w":
      return { minute: "0", hour: "0", weekDay: "MON" };
    default:
      return { minute: "0", hour: `0/${Number.parseInt(timeframe, 10)}` };
  }
}

/** The next candle close of `timeframe` strictly after `time` (epoch ms), as the cron fires. */
export function nextClose(time: number, timeframe: Timeframe): number {
  // The candle that closed last opened one interval before the current one, which closes next.
  return lastClosedOpenTime(time, timeframe) + 2 * timeframeMs(timeframe);
}
