import { type Decimal, dec, ZERO } from "../../domain/money/decimal.ts";
import { type Basket, REBALANCE_PAIR } from "../../domain/rebalance/basket.ts";
import { allPages } from "../all-pages.ts";
import { weightPercent } from "../format.ts";
import type { AccountHistory, CycleRecord } from "../ports/account-repository.ts";

/** A rebalancing account as its records last left it: each leg's weight now and its target. */
export interface BasketView {
  readonly accountId: string;
  /** The last rebalance's close (ISO, UTC); absent before any. */
  readonly lastClose: string | undefined;
  readonly quoteAsset: string;
  readonly initialBalance: Decimal;
  /** When the account was opened (ISO, UTC). */
  readonly createdAt: string;
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
    createdAt: state.account.createdAt,
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
