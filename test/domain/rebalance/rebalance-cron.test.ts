import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { timeframeMs } from "../../../shared/domain/market/timeframe.ts";
import {
  type Basket,
  closingHours,
  isRebalanceClose,
  REBALANCE_TIMEFRAMES,
} from "../../../shared/domain/rebalance/basket.ts";
import {
  type RebalanceCron,
  rebalanceCron,
  rebalanceFiresAt,
} from "../../../shared/domain/rebalance/rebalance-cron.ts";

type Schedule = Pick<Basket, "timeframe" | "every" | "hourUtc">;
const HOUR = 3_600_000;
const WEEKDAYS: Record<string, number> = { MON: 1, THU: 4 };

/** Whether EventBridge's cron (the forms rebalanceCron writes) fires at `time`. */
function fires({ cron }: RebalanceCron, time: number): boolean {
  const at = new Date(time);
  if (at.getUTCMinutes() !== 0 || at.getUTCSeconds() !== 0 || at.getUTCMilliseconds() !== 0) return false;
  if (cron.weekDay !== undefined && at.getUTCDay() !== WEEKDAYS[cron.weekDay]) return false;
  const hour = at.getUTCHours();
  if (cron.hour === "*") return true;
  const [first, step] = cron.hour.split("/").map(Number) as [number, number | undefined];
  return step === undefined ? hour === first : hour >= first && (hour - first) % step === 0;
}

/** Whether `time` is a close of the timeframe's candles (weeks close on Mondays). */
const isClose = (timeframe: Schedule["timeframe"], time: number) =>
  (time - (timeframe === "1w" ? 4 * 24 * HOUR : 0)) % timeframeMs(timeframe) === 0;

const schedule = fc.constantFrom(...REBALANCE_TIMEFRAMES).chain((timeframe) =>
  fc.record({
    timeframe: fc.constant(timeframe),
    every: fc.integer({ min: 1, max: 400 }),
    hourUtc: fc.constantFrom(...closingHours(timeframe)),
  }),
);

describe("a rebalancing account's rule", () => {
  it.each([
    [{ timeframe: "1h", every: 24, hourUtc: 12 }, "cron 0 12", "daily at 12:00 UTC", true],
    [{ timeframe: "1h", every: 168, hourUtc: 12 }, "cron 0 12 THU", "Thursdays at 12:00 UTC", true],
    [{ timeframe: "1h", every: 48, hourUtc: 12 }, "cron 0 12", "daily at 12:00 UTC", false],
    [{ timeframe: "1h", every: 1, hourUtc: 0 }, "cron 0 *", "every hour", true],
    [{ timeframe: "1h", every: 5, hourUtc: 0 }, "cron 0 *", "every hour", false],
    [{ timeframe: "4h", every: 3, hourUtc: 4 }, "cron 0 4/12", "every 12 hours from 04:00 UTC", true],
    [{ timeframe: "1d", every: 7, hourUtc: 0 }, "cron 0 0 THU", "Thursdays at 00:00 UTC", true],
    [{ timeframe: "1d", every: 3, hourUtc: 0 }, "cron 0 0", "daily at 00:00 UTC", false],
    [{ timeframe: "1w", every: 2, hourUtc: 0 }, "cron 0 0 MON", "Mondays at 00:00 UTC", false],
  ] as const)("%j fires by %s (%s), only at its times: %s", (basket, cron, text, exact) => {
    const fired = rebalanceCron(basket);
    expect(["cron", fired.cron.minute, fired.cron.hour, fired.cron.weekDay].filter(Boolean).join(" ")).toBe(
      cron,
    );
    expect(fired.text).toBe(text);
    expect(fired.exact).toBe(exact);
  });

  it("fires at every scheduled time, only at closes, and at nothing else when it says it is exact", () => {
    fc.assert(
      fc.property(schedule, fc.integer({ min: 0, max: 3_000 }), (basket, startWeek) => {
        const cron = rebalanceCron(basket);
        const interval = timeframeMs(basket.timeframe);
        // Three periods and two weeks of hours from a Monday (at most 30 weeks), so weekdays and offsets all come round.
        const from = Date.UTC(1970, 0, 5) + startWeek * 7 * 24 * HOUR;
        const hours = Math.min((3 * basket.every * interval + 14 * 24 * HOUR) / HOUR, 24 * 7 * 30);
        let scheduled = 0;
        for (let k = 0; k < hours; k++) {
          const time = from + k * HOUR;
          const due = isRebalanceClose(basket, time);
          const fired = fires(cron, time);
          if (rebalanceFiresAt(basket, time) !== fired) return false; // npm start's calls are the rule's
          if (due) scheduled++;
          if (due && !fired) return false;
          if (fired && !isClose(basket.timeframe, time)) return false;
          if (cron.exact && fired !== due) return false;
        }
        return scheduled > 0 || hours === 24 * 7 * 30;
      }),
      { numRuns: 200 },
    );
  });
});
