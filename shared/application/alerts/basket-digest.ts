import { timeframeMs } from "../../domain/market/timeframe.ts";
import { dec } from "../../domain/money/decimal.ts";
import { type Basket, scheduleText } from "../../domain/rebalance/basket.ts";
import { money, percent, signedMoney, utcTime } from "../format.ts";
import type { AccountHistory } from "../ports/account-repository.ts";
import type { Alert } from "../ports/alerts.ts";
import { basketView } from "../rebalance/basket-view.ts";
import { alertId } from "./alert-messages.ts";
import { dayFailures, dayFills, fillLines } from "./digest-parts.ts";

const DAY = 86_400_000;

/**
 * The daily digest of a rebalancing account at `now`: its holdings valued as `npm run status`
 * values them (`basketView`: at the closes of its last run, no market call), the change over 24
 * hours against the equity the last run by then recorded, each leg's weight against its target,
 * the day's fills and failed runs. Undefined before the account exists.
 */
export async function basketDigest(
  history: AccountHistory,
  basket: Basket,
  now: number,
): Promise<Alert | undefined> {
  const { accountId } = basket;
  const view = await basketView(history, basket);
  if (!view) return undefined;
  const { equity, cash, quoteAsset: quote } = view;
  const since = now - DAY;
  const before = view.records.find((r) => Date.parse(r.recordedAt) <= since && r.outcome.account);
  const opened = Date.parse(view.createdAt) > since;
  const start = before?.outcome.account ? dec(before.outcome.account.equity) : view.initialBalance;
  const change = equity.minus(start);
  const changePct = start.gt(0) ? Number(change.div(start).times(100)) : null;
  const fills = await dayFills(history, accountId, now);
  const failures = await dayFailures(history, accountId, now);
  const lines = [
    `Equity: ${money(equity)} ${quote} (${signedMoney(change)} ${quote}, ${percent(changePct)} ${opened ? "since the account opened" : "over 24 hours"})${view.lastClose ? `, at the closes of its last run, ${utcTime(Date.parse(view.lastClose))}` : ""}`,
    `Cash: ${money(cash)} ${quote}`,
    `Rebalances at ${scheduleText(basket)}`,
    ...view.legs.map(
      (l) =>
        `  ${l.symbol}: ${l.quantity.toFixed()} @ ${l.price.toFixed()}, ${l.weightPct} % (target ${l.targetPct} %)`,
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
