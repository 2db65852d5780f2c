import { describe, expect, it } from "vitest";
import { duration } from "../../../shared/application/format.ts";
import type { RoundTrip } from "../../../shared/domain/backtest/round-trips.ts";
import { tradeStats } from "../../../shared/domain/backtest/trade-stats.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";

const H = 3_600_000;
const trip = (entryHour: number, hoursHeld: number, pnl: string): RoundTrip => ({
  symbol: "BNBUSDT",
  timeframe: "4h",
  entryTime: entryHour * H,
  exitTime: (entryHour + hoursHeld) * H,
  quantity: dec("1"),
  entryPrice: dec("600"),
  exitPrice: dec("600"),
  fees: dec("0"),
  pnl: dec(pnl),
  exitReasons: ["signal"],
});

describe("trade stats", () => {
  it("best and worst trade, how long winners and losers ran, the longest streaks, days won/drawn/lost", () => {
    const closed = [
      trip(0, 4, "10"),
      trip(10, 8, "-5"),
      trip(20, 4, "3"),
      trip(30, 4, "2"),
      trip(40, 4, "7.5"),
      trip(50, 36, "-1"),
      trip(90, 12, "-0.5"),
    ];
    const stats = tradeStats(closed, [0.01, 0, -0.02, 0, 0.003]);
    expect(stats.best?.pnl.toFixed()).toBe("10");
    expect(stats.worst?.pnl.toFixed()).toBe("-5");
    expect(stats.winnerMs).toBe(4 * H); // four winners of 4 h
    expect(stats.loserMs).toBe(((8 + 36 + 12) / 3) * H);
    expect([stats.maxConsecutiveWins, stats.maxConsecutiveLosses]).toEqual([3, 2]);
    expect([stats.daysWon, stats.daysDrawn, stats.daysLost]).toEqual([2, 2, 1]);
  });

  it("says nothing it does not know: no trades, no best, no durations", () => {
    const stats = tradeStats([], []);
    expect(stats.best).toBeUndefined();
    expect(stats.winnerMs).toBeNull();
    expect([stats.maxConsecutiveWins, stats.maxConsecutiveLosses, stats.daysWon]).toEqual([0, 0, 0]);
  });

  it("reads durations in days and hours, not 836 h", () => {
    expect(duration(836)).toBe("34d 20h");
    expect(duration(5.5)).toBe("5h 30m");
    expect(duration(null)).toBe("n/a");
  });
});
