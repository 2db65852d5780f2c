import { closeTimeOf } from "../../domain/market/timeframe.ts";
import { signedMoney, utcTime } from "../format.ts";
import type { AccountHistory, StoredTrade } from "../ports/account-repository.ts";

const DAY = 86_400_000;

/** A fill's time: its candle's close. */
const fillTime = (t: StoredTrade) => closeTimeOf(t.candleTime, t.timeframe);

/** The account's fills of the 24 hours to `now` (at their candles' closes), oldest first. */
export async function dayFills(
  history: AccountHistory,
  accountId: string,
  now: number,
): Promise<StoredTrade[]> {
  const since = now - DAY;
  const fills: StoredTrade[] = [];
  for (let cursor: string | undefined, more = true; more; ) {
    const page = await history.listTrades(accountId, { limit: 100, ...(cursor ? { cursor } : {}) });
    const recent = page.items.filter((t) => t.candleTime >= since - DAY);
    fills.push(...recent.filter((t) => fillTime(t) > since && fillTime(t) <= now));
    cursor = page.cursor;
    more = cursor !== undefined && recent.length === page.items.length;
  }
  return fills.reverse();
}

/** The account's failed cycles (or runs) of the 24 hours to `now`. */
export async function dayFailures(history: AccountHistory, accountId: string, now: number) {
  return (await history.cycleNotes(accountId)).filter(
    (n) => n.kind === "failed" && n.candleTime >= now - 2 * DAY && n.candleTime <= now,
  );
}

/** The digest's fill lines: the count, then each at its close. */
export function fillLines(fills: readonly StoredTrade[], quote: string): string[] {
  return [
    fills.length ? `Fills: ${fills.length}` : "Fills: none",
    ...fills.map(
      (t) =>
        `  ${utcTime(fillTime(t))} ${t.side} ${t.symbol} ${t.timeframe} ${t.quantity.toFixed()} @ ${t.price.toFixed()} (${t.reason})${t.realizedPnl ? `, realised ${signedMoney(t.realizedPnl)} ${quote} after the exit's fee` : ""}`,
    ),
  ];
}
