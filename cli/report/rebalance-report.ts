import { allPages } from "../../shared/application/all-pages.ts";
import type { AccountHistory } from "../../shared/application/ports/account-repository.ts";
import { replayRebalances } from "../../shared/application/rebalance/replay-rebalances.ts";
import { type Basket, REBALANCE_PAIR } from "../../shared/domain/rebalance/basket.ts";
import { UsageError } from "../cli-errors.ts";

/** `npm run report -- --account <rebalancing id>`: every recorded run replayed; exit 1 when one differs. */
export async function reportRebalancing(
  history: AccountHistory,
  basket: Basket,
  json: boolean,
): Promise<number> {
  const state = await history.loadState(basket.accountId);
  if (!state)
    throw new UsageError(
      `no paper account "${basket.accountId}" in this store: no rebalance has run yet (npm start)`,
    );
  const records = await allPages((cursor) =>
    history.cycleHistory(basket.accountId, REBALANCE_PAIR, basket.timeframe, cursor ? { cursor } : {}),
  );
  const ledger = await allPages((cursor) =>
    history.listTrades(basket.accountId, { limit: 1000, ...(cursor ? { cursor } : {}) }),
  );
  const replay = replayRebalances({
    basket,
    quoteAsset: state.account.quoteAsset,
    initialBalance: state.account.initialBalance,
    records,
    ledger,
  });
  if (json) process.stdout.write(`${JSON.stringify({ accountId: basket.accountId, ...replay }, null, 2)}\n`);
  else
    process.stdout.write(
      [
        `Rebalancing account ${basket.accountId}: ${replay.runs} recorded run(s) replayed from the balances each had, at the prices, targets, steps and band each recorded`,
        `  equal to the ledger: ${replay.equal}; different: ${replay.differences.length}; fills no recorded run accounts for: ${replay.unaccounted}`,
        `  last run: ${replay.lastRun ?? "none"} (UTC); scheduled times between the first and the last run that no run decided: ${replay.missed.count}${replay.missed.count ? ` (${replay.missed.closes.join(", ")}${replay.missed.count > replay.missed.closes.length ? ", …" : ""}; missed for good: the next run traded from the account as it was)` : ""}`,
        ...replay.differences.flatMap((d) => [
          `  at the close of ${d.close}:`,
          ...d.live.map((l) => `    live:     ${l}`),
          ...d.replayed.map((l) => `    replayed: ${l}`),
        ]),
        "",
      ].join("\n"),
    );
  return replay.differences.length + replay.unaccounted > 0 ? 1 : 0;
}
