import type { WatchEntry } from "../../shared/application/cycle/index.ts";
import type { AccountHistory } from "../../shared/application/ports/account-repository.ts";
import { lastClosedOpenTime, timeframeMs } from "../../shared/domain/market/timeframe.ts";

/**
 * The close a resumed runner missed while it was stopped: the pair's latest close (less than one
 * interval ago, so as fresh as a live event), when the pair has traded live here before and has
 * no cycle for that candle yet. Undefined otherwise: a first start only looks (a dry run), and
 * older closes are gone (exits catch up on the next cycle; a missed entry is not taken late).
 */
export async function missedClose(
  repository: AccountHistory,
  pair: WatchEntry,
  now: number,
): Promise<number | undefined> {
  if (pair.mode !== "trade") return undefined;
  const open = lastClosedOpenTime(now, pair.timeframe);
  const { items } = await repository.cycleHistory(pair.accountId, pair.symbol, pair.timeframe, { limit: 1 });
  const last = items[0];
  return last !== undefined && last.candleTime < open ? open + timeframeMs(pair.timeframe) : undefined;
}
