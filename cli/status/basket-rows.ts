import { allPages } from "../../shared/application/all-pages.ts";
import { money, utcTime, weightPercent } from "../../shared/application/format.ts";
import type { AccountHistory, CycleRecord } from "../../shared/application/ports/account-repository.ts";
import { maxDrawdown } from "../../shared/domain/backtest/performance.ts";
import { type Decimal, dec, ZERO } from "../../shared/domain/money/decimal.ts";
import { type Basket, REBALANCE_PAIR, scheduleText } from "../../shared/domain/rebalance/basket.ts";
import type { LeaderboardRow } from "./leaderboard-row.ts";

/** A rebalancing account as its records last left it: each leg's weight now and its target. */
export interface BasketView {
  readonly accountId: string;
  /** The last rebalance's close (ISO, UTC); absent before any. */
  readonly lastClose: string | undefined;
  readonly quoteAsset: string;
  readonly initialBalance: Decimal;
  readonly equity: Decimal;
  readonly cash: Decimal;
  readonly legs: readonly {
    readonly symbol: string;
    readonly quantity: Decimal;
    readonly price: Decimal;
    readonly weightPct: string;
    readonly targetPct: string;
  }[];
  readonly records: readonly CycleRecord[];
}

/** The account's rebalances (newest first) and its holdings valued at the last one's closes; no market call. */
export async function basketView(history: AccountHistory, basket: Basket): Promise<BasketView | undefined> {
  const state = await history.loadState(basket.accountId);
  if (!state) return undefined;
  const records = await allPages((cursor) =>
    history.cycleHistory(basket.accountId, REBALANCE_PAIR, basket.timeframe, cursor ? { cursor } : {}),
  );
  const last = records.find((r) => r.outcome.signal?.prices);
  const signal = last?.outcome.signal as
    | { prices?: Record<string, string>; weights?: { symbol: string; target: string }[]; close?: string }
    | undefined;
  const quote = state.account.quoteAsset;
  const cash = state.account.balances[quote] ?? ZERO;
  const priced = basket.symbols.map((symbol) => ({
    symbol,
    quantity: state.account.balances[symbol.slice(0, -quote.length)] ?? ZERO,
    price: dec(signal?.prices?.[symbol] ?? "0"),
  }));
  const equity = priced.reduce((sum, l) => sum.plus(l.quantity.times(l.price)), cash);
  return {
    accountId: basket.accountId,
    lastClose: signal?.close,
    quoteAsset: quote,
    initialBalance: state.account.initialBalance,
    equity,
    cash,
    legs: priced.map((l) => ({
      ...l,
      weightPct: equity.gt(0) ? weightPercent(l.quantity.times(l.price).div(equity)) : "0.00",
      targetPct: signal?.weights?.find((w) => w.symbol === l.symbol)?.target ?? "–",
    })),
    records,
  };
}

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
