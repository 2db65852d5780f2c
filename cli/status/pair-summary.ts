import type { Trade } from "../../shared/domain/account/account.ts";
import { roundTrips } from "../../shared/domain/backtest/round-trips.ts";
import { ZERO } from "../../shared/domain/money/decimal.ts";

/** One pair's round trips in the account's ledger. */
export interface PairRow {
  readonly pair: string;
  readonly closed: number;
  readonly open: number;
  readonly won: number;
  readonly lost: number;
  /** Of the closed round trips, after every fee (exact). */
  readonly realizedPnl: string;
  readonly fees: string;
}

/** The ledger (oldest first) per pair, in the order the pairs first traded. */
export function pairSummary(trades: readonly Trade[]): PairRow[] {
  const rows = new Map<
    string,
    { closed: number; open: number; won: number; lost: number; pnl: typeof ZERO; fees: typeof ZERO }
  >();
  for (const trip of roundTrips(trades)) {
    const pair = `${trip.symbol} ${trip.timeframe}`;
    const row = rows.get(pair) ?? { closed: 0, open: 0, won: 0, lost: 0, pnl: ZERO, fees: ZERO };
    if (trip.exitTime === undefined) row.open++;
    else {
      row.closed++;
      if (trip.pnl.gt(0)) row.won++;
      else row.lost++;
      row.pnl = row.pnl.plus(trip.pnl);
      row.fees = row.fees.plus(trip.fees);
    }
    rows.set(pair, row);
  }
  return [...rows].map(([pair, r]) => ({
    pair,
    closed: r.closed,
    open: r.open,
    won: r.won,
    lost: r.lost,
    realizedPnl: r.pnl.toFixed(),
    fees: r.fees.toFixed(),
  }));
}
