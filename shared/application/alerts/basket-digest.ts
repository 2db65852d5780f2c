import { timeframeMs } from "../../domain/market/timeframe.ts";
import { type Decimal, dec, ZERO } from "../../domain/money/decimal.ts";
import { type Basket, REBALANCE_PAIR, scheduleText } from "../../domain/rebalance/basket.ts";
import { money, percent, signedMoney, utcTime, weightPercent } from "../format.ts";
import type { AccountHistory } from "../ports/account-repository.ts";
import type { Alert } from "../ports/alerts.ts";
import { alertId } from "./alert-messages.ts";
import { dayFailures, dayFills, fillLines } from "./digest-parts.ts";

const DAY = 86_400_000;

/** What a decided run records of its legs (its result's signal.basis). */
interface RecordedLegs {
  readonly legs: readonly {
    readonly symbol: string;
    readonly baseAsset: string;
    readonly price: string;
    readonly target: string;
  }[];
}

/**
 * The daily digest of a rebalancing account at `now`: its holdings valued at the closes of its
 * last run (as `npm run status` values them: no market call), the change over 24 hours against
 * the equity the last run by then recorded, each leg's weight against its target, the day's fills
 * and failed runs. Undefined before the account exists.
 */
export async function basketDigest(
  history: AccountHistory,
  basket: Basket,
  now: number,
): Promise<Alert | undefined> {
  const { accountId } = basket;
  const state = await history.loadState(accountId);
  if (!state) return undefined;
  const { account } = state;
  const quote = account.quoteAsset;
  const since = now - DAY;
  const { items } = await history.cycleHistory(accountId, REBALANCE_PAIR, basket.timeframe, { limit: 200 });
  const decided = items.filter((r) => (r.outcome.signal as { basis?: unknown } | undefined)?.basis);
  const last = decided.find((r) => Date.parse(r.recordedAt) <= now);
  const legs = ((last?.outcome.signal?.basis as RecordedLegs | undefined)?.legs ?? []).map((l) => ({
    ...l,
    held: account.balances[l.baseAsset] ?? ZERO,
    value: (account.balances[l.baseAsset] ?? ZERO).times(l.price),
  }));
  const cash = account.balances[quote] ?? ZERO;
  const equity = legs.reduce((sum: Decimal, l) => sum.plus(l.value), cash);
  const before = decided.find((r) => Date.parse(r.recordedAt) <= since && r.outcome.account);
  const opened = Date.parse(account.createdAt) > since;
  const start = before?.outcome.account ? dec(before.outcome.account.equity) : account.initialBalance;
  const change = equity.minus(start);
  const changePct = start.gt(0) ? Number(change.div(start).times(100)) : null;
  const fills = await dayFills(history, accountId, now);
  const failures = await dayFailures(history, accountId, now);
  const close = last?.outcome.signal?.close;
  const lines = [
    `Equity: ${money(equity)} ${quote} (${signedMoney(change)} ${quote}, ${percent(changePct)} ${opened ? "since the account opened" : "over 24 hours"})${close ? `, at the closes of its last run, ${utcTime(Date.parse(String(close)))}` : ""}`,
    `Cash: ${money(cash)} ${quote}`,
    `Rebalances at ${scheduleText(basket)}`,
    ...legs.map(
      (l) =>
        `  ${l.symbol}: ${l.held.toFixed()} @ ${l.price}, ${equity.gt(0) ? weightPercent(l.value.div(equity)) : "0.00"} % (target ${weightPercent(dec(l.target))} %)`,
    ),
    ...fillLines(fills, quote),
    failures.length ? `Failed runs: ${failures.length}` : "Failed runs: none",
    ...failures.map(
      (n) => `  the run at the close of ${utcTime(n.candleTime + timeframeMs(basket.timeframe))}`,
    ),
  ];
  return {
    id: alertId(accountId, "ALL", "1d", Math.floor(now / DAY) * DAY, "digest"),
    subject: `Daily digest ${accountId} ${utcTime(now).slice(0, 10)}: equity ${money(equity)} ${quote} (${signedMoney(change)})`,
    message: [`Rebalancing account ${accountId}, ${utcTime(now)}`, ...lines].join("\n"),
    attributes: { event: "digest", symbol: "ALL", timeframe: "1d", action: "DIGEST" },
  };
}
