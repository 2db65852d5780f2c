import { roundTrips } from "../../domain/backtest/round-trips.ts";
import { timeframeMs } from "../../domain/market/timeframe.ts";
import { type Decimal, ZERO } from "../../domain/money/decimal.ts";
import { equityOf } from "../../domain/trading/entry.ts";
import { allPages } from "../all-pages.ts";
import { money, percentOf, signedMoney, utcTime } from "../format.ts";
import type { CommandDeps } from "./command-deps.ts";

const DAY = 86_400_000;
const NO_ACCOUNT = (id: string) => `No paper account ${id} yet: its first cycle opens it.`;

async function allTrades(deps: CommandDeps, accountId: string) {
  const trades = await allPages((cursor) =>
    deps.history.listTrades(accountId, { limit: 1000, ...(cursor ? { cursor } : {}) }),
  );
  return trades.reverse(); // oldest first
}

/** /status: each open position with its unrealised PnL at its last close. */
export async function statusReply(deps: CommandDeps, accountId: string): Promise<string> {
  const state = await deps.store.loadState(accountId);
  if (!state) return NO_ACCOUNT(accountId);
  if (state.positions.length === 0) return `Account ${accountId}: no open position.`;
  const lines = state.positions.map((p) => {
    const pnl = p.markPrice.minus(p.entryPrice).times(p.quantity);
    return `${p.symbol} ${p.timeframe}: ${p.quantity.toFixed()} @ ${p.entryPrice.toFixed()}, last ${p.markPrice.toFixed()}, unrealised ${signedMoney(pnl)} ${state.account.quoteAsset} (${percentOf(pnl, p.entryPrice.times(p.quantity))})${p.stopLoss ? `, stop ${p.stopLoss.toFixed()}` : ""}`;
  });
  return [
    `Account ${accountId}: ${state.positions.length} open position(s), at each pair's last close`,
    ...lines,
  ].join("\n");
}

/** /balance: every balance, the equity at the last closes, and the return on the initial balance. */
export async function balanceReply(deps: CommandDeps, accountId: string): Promise<string> {
  const state = await deps.store.loadState(accountId);
  if (!state) return NO_ACCOUNT(accountId);
  const q = state.account.quoteAsset;
  const cash = state.account.balances[q] ?? ZERO;
  const equity = equityOf(cash, state.positions, "", ZERO);
  const balances = Object.entries(state.account.balances)
    .filter(([, v]) => !v.eq(0))
    .map(([asset, v]) => `${v.toFixed()} ${asset}`)
    .join(", ");
  return [
    `Account ${accountId}: ${balances || `0 ${q}`}`,
    `Equity ${money(equity)} ${q} (${percentOf(equity.minus(state.account.initialBalance), state.account.initialBalance)} on ${money(state.account.initialBalance)})`,
  ].join("\n");
}

/** /trades [n]: the last n fills (default 5, at most 20), newest first, at their candle's close. */
export async function tradesReply(
  deps: CommandDeps,
  accountId: string,
  arg: string | undefined,
): Promise<string> {
  const n = arg === undefined ? 5 : Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > 20) return "Give a number from 1 to 20: /trades 5";
  const { items } = await deps.history.listTrades(accountId, { limit: n });
  if (items.length === 0) return `Account ${accountId}: no trade yet.`;
  return [
    `Account ${accountId}: the last ${items.length} fill(s)`,
    ...items.map(
      (t) =>
        `${utcTime(t.candleTime + timeframeMs(t.timeframe))} ${t.side} ${t.symbol} ${t.timeframe} ${t.quantity.toFixed()} @ ${t.price.toFixed()} (${t.reason})${t.realizedPnl ? ` ${signedMoney(t.realizedPnl)}` : ""}`,
    ),
  ].join("\n");
}

/** /profit and /performance: realised profit after every fee, per pair (round trips closed, won). */
export async function profitReply(deps: CommandDeps, accountId: string, ranked: boolean): Promise<string> {
  const trips = roundTrips(await allTrades(deps, accountId)).filter((t) => t.exitTime !== undefined);
  if (trips.length === 0) return `Account ${accountId}: no round trip closed yet.`;
  const byPair = new Map<string, { pnl: Decimal; trips: number; won: number }>();
  for (const t of trips) {
    const key = `${t.symbol} ${t.timeframe}`;
    const row = byPair.get(key) ?? { pnl: ZERO, trips: 0, won: 0 };
    byPair.set(key, { pnl: row.pnl.plus(t.pnl), trips: row.trips + 1, won: row.won + (t.pnl.gt(0) ? 1 : 0) });
  }
  const rows = [...byPair].sort(([a, x], [b, y]) => (ranked ? y.pnl.cmp(x.pnl) : a.localeCompare(b)));
  const total = trips.reduce((s, t) => s.plus(t.pnl), ZERO);
  return [
    `Account ${accountId}: realised ${signedMoney(total)} after every fee, ${trips.length} round trip(s)`,
    ...rows.map(
      ([pair, r], i) =>
        `${ranked ? `${i + 1}. ` : ""}${pair}: ${signedMoney(r.pnl)} (${r.trips} trip(s), ${r.won} won)`,
    ),
  ].join("\n");
}

/** /daily [n]: realised profit per UTC day of the round trips closed then, the last n days (default 7, at most 31). */
export async function dailyReply(
  deps: CommandDeps,
  accountId: string,
  arg: string | undefined,
): Promise<string> {
  const n = arg === undefined ? 7 : Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > 31) return "Give a number of days from 1 to 31: /daily 7";
  const today = Math.floor(deps.now() / DAY);
  const days = new Map<number, Decimal>();
  for (const t of roundTrips(await allTrades(deps, accountId))) {
    if (t.exitTime === undefined) continue;
    const day = Math.floor((t.exitTime + timeframeMs(t.timeframe as never)) / DAY);
    if (day > today - n) days.set(day, (days.get(day) ?? ZERO).plus(t.pnl));
  }
  const lines = Array.from({ length: n }, (_, i) => today - i).map(
    (d) => `${new Date(d * DAY).toISOString().slice(0, 10)}: ${signedMoney(days.get(d) ?? ZERO)}`,
  );
  return [
    `Account ${accountId}: realised profit per UTC day (round trips closed that day, after every fee)`,
    ...lines,
  ].join("\n");
}

/** /locks: the protections in force. */
export async function locksReply(deps: CommandDeps, accountId: string): Promise<string> {
  const state = await deps.store.loadState(accountId);
  if (!state) return NO_ACCOUNT(accountId);
  const now = deps.now();
  const locks = (state.account.risk?.locks ?? []).filter((l) => l.until > now);
  const paused = state.account.paused;
  const lines = [
    ...locks.map((l) => `${l.protection} on ${l.scope} until ${utcTime(l.until)}: ${l.reason}`),
    ...(paused?.all
      ? [`paused (the whole account) by ${paused.all.by} at ${utcTime(paused.all.since)}`]
      : []),
    ...Object.entries(paused?.pairs ?? {}).map(
      ([pair, m]) => `${pair} paused by ${m.by} at ${utcTime(m.since)}`,
    ),
  ];
  return lines.length
    ? [`Account ${accountId}: in force now`, ...lines].join("\n")
    : `Account ${accountId}: no protection or pause in force.`;
}

/** /health: each pair's last cycle and its age, the failures kept, the alerts set aside. */
export async function healthReply(deps: CommandDeps, accountId: string): Promise<string> {
  const pairs = (deps.config.watchlist ?? []).filter((e) => e.mode === "trade" && e.accountId === accountId);
  const now = deps.now();
  const lines = await Promise.all(
    pairs.map(async (p) => {
      const [last] = (await deps.history.cycleHistory(accountId, p.symbol, p.timeframe, { limit: 1 })).items;
      if (!last) return `${p.symbol} ${p.timeframe}: no cycle yet`;
      const closed = last.candleTime + timeframeMs(p.timeframe);
      const hours = (now - closed) / 3_600_000;
      const late = now - closed > 2 * timeframeMs(p.timeframe);
      return `${p.symbol} ${p.timeframe}: last cycle for the candle that closed ${utcTime(closed)} (${hours.toFixed(1)} h ago)${late ? ", LATE: more than two candles" : ""}`;
    }),
  );
  const notes = await deps.history.cycleNotes(accountId);
  const failed = notes.filter((n) => n.kind === "failed").length;
  const setAside = await deps.deadLetters(accountId);
  return [
    `Account ${accountId}: health at ${utcTime(now)}`,
    ...lines,
    `Failed cycles kept: ${failed}; alerts set aside: ${setAside}${setAside ? " (npm run status lists them)" : ""}`,
  ].join("\n");
}
