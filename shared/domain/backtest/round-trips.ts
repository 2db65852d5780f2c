import type { Trade } from "../account/account.ts";
import { type Decimal, ZERO } from "../money/decimal.ts";

/** A position from its entry to its last exit. */
export interface RoundTrip {
  readonly symbol: string;
  readonly timeframe: string;
  readonly entryTime: number;
  /** Candle of the last exit; undefined while the position is still open. */
  readonly exitTime: number | undefined;
  readonly quantity: Decimal;
  readonly entryPrice: Decimal;
  /** Quantity-weighted price of the exits so far. */
  readonly exitPrice: Decimal | undefined;
  /** Entry and exit fees. */
  readonly fees: Decimal;
  /** What the exits brought in, minus what the entry cost, minus every fee. */
  readonly pnl: Decimal;
  readonly exitReasons: readonly string[];
}

/** Groups a ledger (oldest first) into round trips, one per entry. */
export function roundTrips(trades: readonly Trade[]): RoundTrip[] {
  const trips: RoundTrip[] = [];
  const open = new Map<string, { entry: Trade; exits: Trade[] }>();
  const close = (entry: Trade, exits: Trade[], done: boolean): RoundTrip => {
    const sold = exits.reduce((sum, t) => sum.plus(t.quantity), ZERO);
    const proceeds = exits.reduce((sum, t) => sum.plus(t.quoteAmount), ZERO);
    const fees = exits.reduce((sum, t) => sum.plus(t.fee), entry.fee);
    return {
      symbol: entry.symbol,
      timeframe: entry.timeframe,
      entryTime: entry.candleTime,
      exitTime: done ? exits.at(-1)?.candleTime : undefined,
      quantity: entry.quantity,
      entryPrice: entry.price,
      exitPrice: sold.gt(0) ? proceeds.div(sold) : undefined,
      fees,
      pnl: proceeds.minus(entry.price.times(sold)).minus(fees),
      exitReasons: exits.map((t) => t.reason),
    };
  };
  for (const trade of trades) {
    const key = `${trade.symbol}#${trade.timeframe}`;
    if (trade.side === "BUY") {
      open.set(key, { entry: trade, exits: [] });
      continue;
    }
    const trip = open.get(key);
    if (!trip) continue;
    trip.exits.push(trade);
    const sold = trip.exits.reduce((sum, t) => sum.plus(t.quantity), ZERO);
    if (sold.gte(trip.entry.quantity)) {
      trips.push(close(trip.entry, trip.exits, true));
      open.delete(key);
    }
  }
  for (const trip of open.values()) trips.push(close(trip.entry, trip.exits, false));
  return trips.sort((a, b) => a.entryTime - b.entryTime);
}
