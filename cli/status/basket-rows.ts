import { allPages } from "../../shared/application/all-pages.ts";
import { money, utcTime } from "../../shared/application/format.ts";
import type { AccountHistory } from "../../shared/application/ports/account-repository.ts";
import { type BasketView, basketView } from "../../shared/application/rebalance/basket-view.ts";
import { maxDrawdown } from "../../shared/domain/backtest/performance.ts";
import { type Basket, scheduleText } from "../../shared/domain/rebalance/basket.ts";
import type { LeaderboardRow } from "./leaderboard-row.ts";

/** The leaderboard's row of a rebalancing account: its equity at the last rebalance's closes. */
export async function basketRow(
  history: AccountHistory,
  basket: Basket,
): Promise<LeaderboardRow | undefined> {
  const view = await basketView(history, basket);
  if (!view) return undefined;
  const initial = view.initialBalance;
  const pct = (fraction: number) => Math.round(fraction * 1e4) / 100;
  const curve = [...view.records]
    .filter((r) => r.outcome.account)
    .reverse()
    .map((r) => ({ time: Date.parse(r.recordedAt), equity: Number(r.outcome.account?.equity) }));
  const ledger = await allPages((cursor) => history.listTrades(basket.accountId, cursor ? { cursor } : {}));
  return {
    account: basket.accountId,
    strategies: [`rebalance (${basket.weighting})`],
    initialBalance: initial.toFixed(),
    equity: view.equity.toFixed(8),
    returnPct: pct(Number(view.equity.minus(initial).div(initial))),
    maxDrawdownPct: pct(maxDrawdown([{ time: 0, equity: Number(initial) }, ...curve]).fraction),
    trades: ledger.length,
    winRatePct: null,
    openExposurePct: view.equity.gt(0) ? pct(Number(view.equity.minus(view.cash).div(view.equity))) : 0,
    weights: view.legs.map((l) => `${l.symbol} ${l.weightPct} % → ${l.targetPct} %`).join(", "),
  };
}

/** `npm run status -- --account <rebalancing id>`: the holdings, their weights now and their targets. */
export function formatBasket(view: BasketView, basket: Basket): string {
  return [
    `Rebalancing account ${view.accountId}: ${basket.symbols.join(", ")} (${basket.weighting}), ${scheduleText(basket)}, band ${basket.bandPct.toFixed()} points`,
    view.lastClose
      ? `Valued at the closes of ${utcTime(view.lastClose)} (its last scheduled run): equity ${money(view.equity)} ${view.quoteAsset}, cash ${money(view.cash)} ${view.quoteAsset}`
      : "No rebalance has run yet.",
    ...view.legs.map(
      (l) =>
        `  ${l.symbol}: ${l.quantity.toFixed()} @ ${l.price.toFixed()}, ${l.weightPct} % of equity (target ${l.targetPct} %)`,
    ),
    `${view.records.filter((r) => r.action === "REBALANCE").length} rebalance(s) recorded of ${view.records.length} scheduled run(s) kept`,
    "",
  ].join("\n");
}

export const basketJson = (view: BasketView) => ({
  accountId: view.accountId,
  lastClose: view.lastClose ?? null,
  equity: view.equity.toFixed(),
  cash: view.cash.toFixed(),
  legs: view.legs.map((l) => ({ ...l, quantity: l.quantity.toFixed(), price: l.price.toFixed() })),
  rebalances: view.records.filter((r) => r.action === "REBALANCE").length,
});
