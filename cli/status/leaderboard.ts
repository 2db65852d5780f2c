import { allPages } from "../../shared/application/all-pages.ts";
import type { CycleConfig } from "../../shared/application/cycle/index.ts";
import type {
  AccountHistory,
  CycleRecord,
  StoredTrade,
} from "../../shared/application/ports/account-repository.ts";
import { maxDrawdown } from "../../shared/domain/backtest/performance.ts";
import { roundTrips } from "../../shared/domain/backtest/round-trips.ts";
import { ZERO } from "../../shared/domain/money/decimal.ts";
import type { Basket } from "../../shared/domain/rebalance/basket.ts";
import { basketRow } from "./basket-rows.ts";
import type { LeaderboardRow } from "./leaderboard-row.ts";

const pct = (fraction: number) => Math.round(fraction * 1e4) / 100;

/**
 * Every trading account of the watchlist, ranked by return: which strategy works, live. Equity
 * counts positions at the close of their last cycle (no market call); the drawdown is that of the
 * equity the account's cycles recorded; trades are round trips, closed or open.
 */
export async function leaderboard(
  repository: AccountHistory,
  config: CycleConfig,
  baskets: readonly Basket[] = [],
): Promise<LeaderboardRow[]> {
  const trading = (config.watchlist ?? []).filter((e) => e.mode === "trade");
  const accounts = [...new Set(trading.map((e) => e.accountId))];
  const rows: LeaderboardRow[] = [];
  for (const account of accounts) {
    const state = await repository.loadState(account);
    if (!state) continue;
    const entries = trading.filter((e) => e.accountId === account);
    const ledger = await allPages<StoredTrade>((cursor) =>
      repository.listTrades(account, cursor ? { cursor } : {}),
    );
    const cycles: CycleRecord[] = [];
    for (const e of entries) {
      cycles.push(
        ...(await allPages((cursor) =>
          repository.cycleHistory(account, e.symbol, e.timeframe, cursor ? { cursor } : {}),
        )),
      );
    }
    const quote = state.account.balances[state.account.quoteAsset] ?? ZERO;
    const held = state.positions.reduce((sum, p) => sum.plus(p.quantity.times(p.markPrice)), ZERO);
    const equity = quote.plus(held);
    const initial = state.account.initialBalance;
    const curve = cycles
      .filter((c) => c.outcome.account)
      .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt))
      .map((c) => ({ time: Date.parse(c.recordedAt), equity: Number(c.outcome.account?.equity) }));
    const trips = roundTrips([...ledger].reverse());
    const closed = trips.filter((t) => t.exitTime !== undefined);
    rows.push({
      account,
      strategies: [...new Set(entries.map((e) => e.strategy.name))],
      initialBalance: initial.toFixed(),
      equity: equity.toFixed(8),
      returnPct: pct(Number(equity.minus(initial).div(initial))),
      maxDrawdownPct: pct(maxDrawdown([{ time: 0, equity: Number(initial) }, ...curve]).fraction),
      trades: trips.length,
      winRatePct: closed.length ? pct(closed.filter((t) => t.pnl.gt(0)).length / closed.length) : null,
      openExposurePct: equity.gt(0) ? pct(Number(held.div(equity))) : 0,
    });
  }
  for (const basket of baskets) {
    const row = await basketRow(repository, basket);
    if (row) rows.push(row);
  }
  return rows.sort((a, b) => b.returnPct - a.returnPct);
}

export function formatLeaderboard(rows: readonly LeaderboardRow[]): string {
  if (rows.length === 0) return "No account of the watchlist has run a cycle yet.\n";
  const header = [
    "#",
    "account",
    "strategy",
    "equity",
    "return",
    "max drawdown",
    "trades",
    "win rate",
    "open exposure",
  ];
  const table = [
    header,
    ...rows.map((r, i) => [
      String(i + 1),
      r.account,
      r.strategies.join(", "),
      Number(r.equity).toFixed(2),
      `${r.returnPct >= 0 ? "+" : ""}${r.returnPct.toFixed(2)} %`,
      `${r.maxDrawdownPct.toFixed(2)} %`,
      String(r.trades),
      r.winRatePct === null ? "n/a" : `${r.winRatePct.toFixed(2)} %`,
      `${r.openExposurePct.toFixed(2)} %`,
    ]),
  ];
  const weights = rows.filter((r) => r.weights).map((r) => `  ${r.account}: ${r.weights}`);
  const widths = header.map((_, c) => Math.max(...table.map((row) => (row[c] ?? "").length)));
  return `${table.map((row) => row.map((cell, c) => (c <= 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  ")).join("\n")}\n${weights.length ? `Weights at each rebalancing account's last rebalance → target:\n${weights.join("\n")}\n` : ""}`;
}
