import type { Decimal } from "../money/decimal.ts";
import type { RoundTrip } from "./round-trips.ts";

/** What traders read first after the return: the best and worst trade, how long winners and losers ran, streaks, days. */
export interface TradeStats {
  readonly best: RoundTrip | undefined;
  readonly worst: RoundTrip | undefined;
  /** Mean time (ms) from entry to last exit of the winning, and of the losing, closed trades; null without any. */
  readonly winnerMs: number | null;
  readonly loserMs: number | null;
  readonly maxConsecutiveWins: number;
  readonly maxConsecutiveLosses: number;
  /** UTC days whose equity rose, stayed, fell (from the daily returns). */
  readonly daysWon: number;
  readonly daysDrawn: number;
  readonly daysLost: number;
}

const held = (t: RoundTrip) => (t.exitTime ?? t.entryTime) - t.entryTime;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The stats of the closed round trips (oldest first) and the daily returns. */
export function tradeStats(closed: readonly RoundTrip[], dailyReturns: readonly number[]): TradeStats {
  const won = (t: RoundTrip) => t.pnl.gt(0);
  const byPnl = (a: { pnl: Decimal }, b: { pnl: Decimal }) => a.pnl.cmp(b.pnl);
  const sorted = [...closed].sort(byPnl);
  let wins = 0;
  let losses = 0;
  let maxWins = 0;
  let maxLosses = 0;
  for (const t of closed) {
    if (won(t)) {
      wins++;
      losses = 0;
    } else {
      losses++;
      wins = 0;
    }
    maxWins = Math.max(maxWins, wins);
    maxLosses = Math.max(maxLosses, losses);
  }
  return {
    best: sorted.at(-1),
    worst: sorted[0],
    winnerMs: mean(closed.filter(won).map(held)),
    loserMs: mean(closed.filter((t) => !won(t)).map(held)),
    maxConsecutiveWins: maxWins,
    maxConsecutiveLosses: maxLosses,
    daysWon: dailyReturns.filter((r) => r > 0).length,
    daysDrawn: dailyReturns.filter((r) => r === 0).length,
    daysLost: dailyReturns.filter((r) => r < 0).length,
  };
}
