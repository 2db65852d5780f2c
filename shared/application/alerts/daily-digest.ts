import { ZERO } from "../../domain/money/decimal.ts";
import type { Basket } from "../../domain/rebalance/basket.ts";
import { type CycleConfig, InvalidRequestError } from "../cycle/index.ts";
import { money, percent, signedMoney, utcTime } from "../format.ts";
import type { AccountHistory, CycleRecord } from "../ports/account-repository.ts";
import type { Alert } from "../ports/alerts.ts";
import { alertId } from "./alert-messages.ts";
import { basketDigest } from "./basket-digest.ts";
import { type AlertDeps, deliverAlerts } from "./deliver-alerts.ts";
import { dayFailures, dayFills, fillLines } from "./digest-parts.ts";

const DAY = 86_400_000;

/** The accounts the watchlist trades, each once, in watchlist order. */
export function tradingAccounts(config: CycleConfig): string[] {
  const entries = (config.watchlist ?? []).filter((e) => e.mode === "trade");
  return [...new Set(entries.length ? entries.map((e) => e.accountId) : [config.defaultAccountId])];
}

/**
 * The daily digest of an account at `now`: equity and its change over the last 24 hours (from
 * the cycle records), open positions with unrealised PnL at their last close, the day's fills and
 * failed cycles. One text for every channel and for `npm run status -- --digest`.
 */
export async function dailyDigest(
  history: AccountHistory,
  config: CycleConfig,
  accountId: string,
  now: number,
): Promise<Alert | undefined> {
  const state = await history.loadState(accountId);
  if (!state) return undefined;
  const { account, positions } = state;
  const quote = account.quoteAsset;
  const since = now - DAY;
  const free = account.balances[quote] ?? ZERO;
  const equity = positions.reduce((sum, p) => sum.plus(p.quantity.times(p.markPrice)), free);
  // The equity a day ago: the last cycle recorded by then, of any of the account's pairs.
  const pairs = new Map<string, { symbol: string; timeframe: CycleRecord["timeframe"] }>();
  for (const e of config.watchlist ?? [])
    if (e.accountId === accountId && e.mode === "trade") pairs.set(`${e.symbol} ${e.timeframe}`, e);
  for (const p of positions) pairs.set(`${p.symbol} ${p.timeframe}`, p);
  let before: CycleRecord | undefined;
  for (const { symbol, timeframe } of pairs.values()) {
    const { items } = await history.cycleHistory(accountId, symbol, timeframe, { limit: 200 });
    const record = items.find((r) => Date.parse(r.recordedAt) <= since && r.outcome.account);
    if (record && (!before || Date.parse(record.recordedAt) > Date.parse(before.recordedAt))) before = record;
  }
  const opened = Date.parse(account.createdAt) > since;
  const start = before?.outcome.account
    ? Number(before.outcome.account.equity)
    : Number(account.initialBalance);
  const change = equity.minus(start);
  const changePct = start > 0 ? (Number(change) / start) * 100 : null;
  const fills = await dayFills(history, accountId, now);
  const failures = await dayFailures(history, accountId, now);
  const day = utcTime(now).slice(0, 10);
  const lines = [
    `Equity: ${money(equity)} ${quote} (${signedMoney(change)} ${quote}, ${percent(changePct)} ${opened ? "since the account opened" : "over 24 hours"})`,
    `Free: ${money(free)} ${quote}`,
    positions.length ? `Open positions: ${positions.length}` : "Open positions: none",
    ...positions.map((p) => {
      const pnl = p.markPrice.minus(p.entryPrice).times(p.quantity);
      const cost = p.entryPrice.times(p.quantity);
      return `  ${p.symbol} ${p.timeframe}: ${p.quantity.toFixed()} @ ${p.entryPrice.toFixed()}, last close ${p.markPrice.toFixed()}, unrealised ${signedMoney(pnl)} ${quote} (${percent(cost.gt(0) ? Number(pnl.div(cost)) * 100 : null)})`;
    }),
    ...fillLines(fills, quote),
    failures.length ? `Failed cycles: ${failures.length}` : "Failed cycles: none",
    ...failures.map((n) => `  ${n.symbol} ${n.timeframe}, candle of ${utcTime(n.candleTime)}`),
  ];
  return {
    id: alertId(accountId, "ALL", "1d", Math.floor(now / DAY) * DAY, "digest"),
    subject: `Daily digest ${accountId} ${day}: equity ${money(equity)} ${quote} (${signedMoney(change)})`,
    message: [`Paper account ${accountId}, ${utcTime(now)}`, ...lines].join("\n"),
    attributes: { event: "digest", symbol: "ALL", timeframe: "1d", action: "DIGEST" },
  };
}

/** How far ahead of this machine's clock a digest's scheduled time may be (the rule's clock and ours differ a little). */
const DIGEST_CLOCK_SKEW_MS = 60_000;

export interface DigestDeps extends AlertDeps {
  readonly history: AccountHistory;
  readonly config: CycleConfig;
  /** The rebalancing accounts (tradingBot.rebalancing): each has a digest of its own. */
  readonly baskets: readonly Basket[];
}

/**
 * Sends every trading account's digest, and every rebalancing account's, once per day for the day of `scheduledTime` (default now):
 * queued in the outbox under a once-per-day marker (a retried or repeated event sends nothing
 * twice), then delivered like any alert. A time to come is refused: one would block the real one.
 */
export async function sendDigests(
  deps: DigestDeps,
  scheduledTime?: number,
): Promise<{ accountId: string; queued: boolean; sent: number }[]> {
  const { now: clock, logger } = deps;
  if (scheduledTime !== undefined && scheduledTime > clock() + DIGEST_CLOCK_SKEW_MS)
    throw new InvalidRequestError(
      `scheduledTime ${new Date(scheduledTime).toISOString()} is after now (${new Date(clock()).toISOString()}): a digest is sent for a day that has begun, never ahead`,
    );
  // The day is the rule's, not the delivery's: a late delivery after midnight is still yesterday's digest.
  const now = scheduledTime ?? clock();
  const outcomes = [];
  const accounts = [
    ...tradingAccounts(deps.config).map((accountId) => ({
      accountId,
      digest: () => dailyDigest(deps.history, deps.config, accountId, now),
    })),
    ...deps.baskets.map((b) => ({
      accountId: b.accountId,
      digest: () => basketDigest(deps.history, b, now),
    })),
  ];
  for (const { accountId, digest: made } of accounts) {
    const digest = await made();
    if (!digest) continue;
    const day = Math.floor(now / DAY) * DAY;
    const queued = await deps.outbox.queueAlertOnce(accountId, "DIGEST", "ALL", "1d", day, digest);
    const delivery = await deliverAlerts(deps, accountId);
    outcomes.push({ accountId, queued, sent: delivery.sent });
  }
  logger.info("Daily digest", { outcomes });
  return outcomes;
}
