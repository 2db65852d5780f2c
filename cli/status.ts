import { BinanceMarketData } from "../shared/adapters/binance/binance-market-data.ts";
import { basketDigest } from "../shared/application/alerts/basket-digest.ts";
import { dailyDigest, tradingAccounts } from "../shared/application/alerts/daily-digest.ts";
import { allPages } from "../shared/application/all-pages.ts";
import { lockView, pairName, scheduledPairsOf } from "../shared/application/cycle/index.ts";
import { money, signedMoney, utcTime } from "../shared/application/format.ts";
import { type BasketView, basketView } from "../shared/application/rebalance/basket-view.ts";
import type { Position } from "../shared/domain/account/account.ts";
import { closeTimeOf } from "../shared/domain/market/timeframe.ts";
import { dec, ZERO } from "../shared/domain/money/decimal.ts";
import { parseFlags } from "./args.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { readLocalConfig } from "./local/local-config.ts";
import { LOCAL_FLAGS, LOCAL_FLAGS_USAGE, localPaths } from "./local/local-flags.ts";
import { openRepository } from "./local/open-repository.ts";
import { clockFromEnv } from "./local/virtual-clock.ts";
import { basketJson, formatBasket } from "./status/basket-rows.ts";
import { formatLeaderboard, leaderboard } from "./status/leaderboard.ts";
import { type PairRow, pairSummary } from "./status/pair-summary.ts";

const USAGE = `Usage: npm run status [-- --account <id>] [--table <name>] [--trades 10] [--json] [--leaderboard] [--digest]

The paper account: balances, equity, open positions (entry, stop, targets, unrealised PnL at
the last price) and the last trades. Reads the local store, or a deployed table with --table
(AWS credentials and region from the environment).
  --account <id>  the account (default: the configuration's accountId)
  --table <name>  a deployed table instead of the local store
  --trades <n>    how many of the last trades to list (0 to 1000; default 10)
  --json          the account as JSON (money as exact decimal strings)
  --leaderboard   every account of the watchlist ranked by return: strategies, equity, max
                  drawdown, trades, win rate, open exposure
  --digest        the account's daily digest as the channels receive it (the last 24 hours)
${LOCAL_FLAGS_USAGE}`;

const utc = utcTime;
const signed = signedMoney;

await runCli(async () => {
  const flags = parseFlags(USAGE, {
    ...LOCAL_FLAGS,
    account: { type: "string" },
    table: { type: "string" },
    trades: { type: "string" },
    json: { type: "boolean" },
    leaderboard: { type: "boolean" },
    digest: { type: "boolean" },
  });
  if (!flags) return 0;
  // A view's flags with another view are refused, not ignored.
  const given = (...names: (keyof typeof flags)[]) => names.filter((n) => flags[n] !== undefined);
  const extra = flags.leaderboard
    ? given("account", "trades", "digest")
    : flags.digest
      ? given("trades", "json")
      : [];
  if (extra.length)
    throw new UsageError(
      `--${extra[0]} is not for --${flags.leaderboard ? "leaderboard (every account, ranked)" : "digest (the digest's text)"}; leave it out`,
    );
  const tradeCount = flags.trades === undefined ? 10 : Number(flags.trades);
  if (!Number.isInteger(tradeCount) || tradeCount < 0 || tradeCount > 1000)
    throw new UsageError(`--trades must be 0..1000, got "${flags.trades}"`);
  const { configFile, dataDir } = localPaths(flags);
  const config = readLocalConfig(configFile, process.env);
  const accountId = flags.account ?? config.cycle.defaultAccountId;
  const opened = await openRepository({ table: flags.table, memory: flags.memory === true, dataDir });
  const { repository } = opened;
  try {
    if (flags.leaderboard) {
      const rows = await leaderboard(repository, config.cycle, config.settings.rebalancing);
      process.stdout.write(flags.json ? `${JSON.stringify(rows)}\n` : formatLeaderboard(rows));
      return 0;
    }
    if (flags.digest) {
      // A basket's digest values its holdings at their last run's closes; a trading account's, its positions.
      const basket = config.settings.rebalancing.find((b) => b.accountId === accountId);
      const now = clockFromEnv(process.env).now();
      const digest = basket
        ? await basketDigest(repository, basket, now)
        : await dailyDigest(repository, config.cycle, accountId, now);
      if (!digest) {
        process.stderr.write(
          `No paper account "${accountId}" in ${opened.location}: run a cycle first (npm start).\n`,
        );
        return 1;
      }
      process.stdout.write(`${digest.subject}\n${digest.message}\n`);
      return 0;
    }
    const state = await repository.loadState(accountId);
    // The same answer as npm run report's: a usage problem (exit 2), named.
    if (!state)
      throw new UsageError(
        `no paper account "${accountId}" in ${opened.location}: the configuration's accounts are ${tradingAccounts(config.cycle).join(", ")} (--account <id>); or run a cycle first (npm start)`,
      );
    const basket = config.settings.rebalancing.find((b) => b.accountId === accountId);
    if (basket) {
      if (flags.trades !== undefined)
        throw new UsageError(
          `--trades is for a trading account; ${accountId} rebalances (npm run report -- --account ${accountId} lists its runs)`,
        );
      const view = (await basketView(repository, basket)) as BasketView;
      process.stdout.write(flags.json ? `${JSON.stringify(basketJson(view))}\n` : formatBasket(view, basket));
      return 0;
    }
    const trades =
      tradeCount > 0 ? (await repository.listTrades(accountId, { limit: tradeCount })).items : [];
    const deadLetters = await opened.outbox.deadLetters(accountId, 20);
    // The whole ledger, oldest first, for the per-pair summary.
    const ledgerAll = (
      await allPages((cursor) =>
        repository.listTrades(accountId, { limit: 1000, ...(cursor ? { cursor } : {}) }),
      )
    ).reverse();
    const pairs = pairSummary(ledgerAll);
    const clock = clockFromEnv(process.env);
    const market = new BinanceMarketData({ ...config.binance, now: clock.now, callTimeoutMs: 5_000 });
    const priced = await Promise.all(
      state.positions.map(async (p: Position) => {
        try {
          const { candles } = await market.closedCandles({
            symbol: p.symbol,
            timeframe: p.timeframe,
            count: 1,
            closedBy: clock.now(),
          });
          const last = candles.at(-1);
          return { position: p, price: last ? dec(last.close) : p.markPrice, live: last !== undefined };
        } catch {
          return { position: p, price: p.markPrice, live: false };
        }
      }),
    );
    const quote = state.account.balances[state.account.quoteAsset] ?? ZERO;
    const equity = priced.reduce(
      (sum, { position, price }) => sum.plus(position.quantity.times(price)),
      quote,
    );
    const positions = priced.map(({ position: p, price, live }) => ({
      symbol: p.symbol,
      timeframe: p.timeframe,
      quantity: p.quantity.toFixed(),
      entryPrice: p.entryPrice.toFixed(),
      entryTime: new Date(p.entryTime).toISOString(),
      // The one convention people read: the entry at its candle's close (entryTime is the candle's open).
      entryClose: new Date(closeTimeOf(p.entryTime, p.timeframe)).toISOString(),
      stopLoss: p.stopLoss?.toFixed() ?? null,
      takeProfit1: p.takeProfit1?.toFixed() ?? null,
      takeProfit2: p.takeProfit2?.toFixed() ?? null,
      tp1Taken: p.tp1Taken,
      lastPrice: price.toFixed(),
      lastPriceSource: live ? "binance" : "last cycle",
      // A pair no longer in the watchlist: no schedule manages this position's stop and targets.
      unmanaged: !scheduledPairsOf(accountId, config.cycle)?.has(pairName(p.symbol, p.timeframe)),
      unrealizedPnl: price.minus(p.entryPrice).times(p.quantity).toFixed(),
    }));
    // Locks run out at a time; the next cycle releases them (and says so), so one past its time is not in force.
    const protections = (state.account.risk?.locks ?? []).filter((l) => l.until > clock.now()).map(lockView);
    if (flags.json) {
      const balances = Object.fromEntries(
        Object.entries(state.account.balances).map(([a, v]) => [a, v.toFixed()]),
      );
      const { id, quoteAsset, createdAt, version } = state.account;
      const account = {
        id,
        quoteAsset,
        initialBalance: state.account.initialBalance.toFixed(),
        balances,
        createdAt,
        version,
      };
      const ledger = trades.map((t) => ({
        ...t,
        quantity: t.quantity.toFixed(),
        price: t.price.toFixed(),
        quoteAmount: t.quoteAmount.toFixed(),
        fee: t.fee.toFixed(),
        realizedPnl: t.realizedPnl?.toFixed(),
        candleTime: new Date(t.candleTime).toISOString(),
        // The fill's time as the backtest and the alerts give it: its candle's close.
        time: new Date(closeTimeOf(t.candleTime, t.timeframe)).toISOString(),
      }));
      process.stdout.write(
        `${JSON.stringify({ account, equity: equity.toFixed(), positions, protections, pairs, trades: ledger, deadLetters: deadLetters.map(({ id, subject, queuedAt, setAsideAt, attempts, reason }) => ({ id, subject, queuedAt, setAsideAt, attempts: attempts ?? 0, reason })) })}\n`,
      );
      return 0;
    }
    const lines = [
      `Account ${accountId}, opened ${utc(Date.parse(state.account.createdAt))} with ${state.account.initialBalance.toFixed()} ${state.account.quoteAsset}`,
      `Balances: ${Object.entries(state.account.balances)
        .map(([a, v]) => `${v.toFixed()} ${a}`)
        .join(", ")}`,
      `Equity: ${money(equity)} ${state.account.quoteAsset} (${signed(equity.minus(state.account.initialBalance))} since opening)`,
      positions.length ? "Open positions:" : "Open positions: none",
      ...positions.map((p) => {
        const pnl = dec(p.unrealizedPnl);
        const pct = pnl.div(dec(p.entryPrice).times(p.quantity)).times(100);
        const flag = p.unmanaged ? "  ⚠ not in the watchlist: nothing manages its stop and targets" : "";
        return `  ${p.symbol} ${p.timeframe}  ${p.quantity} @ ${p.entryPrice} since the candle closed ${utc(closeTimeOf(Date.parse(p.entryTime), p.timeframe))}  stop ${p.stopLoss ?? "none"}  TP1 ${p.takeProfit1 ?? "none"}${p.tp1Taken ? " (taken)" : ""}  TP2 ${p.takeProfit2 ?? "none"}  last ${p.lastPrice} (${p.lastPriceSource})  unrealised ${signed(pnl)} USDT (${signed(pct)}%)${flag}`;
      }),
      ...(pairs.length
        ? [
            "Per pair (every round trip in the ledger; PnL of the closed ones, after every fee):",
            ...alignedPairs(pairs),
          ]
        : []),
      ...(protections.length
        ? [
            "Protections in force (no new entries; exits keep running):",
            ...protections.map(
              (l) =>
                `  ${l.scope === "account" ? "the whole account" : l.scope} until ${utc(Date.parse(l.until))}: ${l.reason}`,
            ),
          ]
        : []),
      tradeCount === 0
        ? "Trades: not listed (--trades 0)"
        : trades.length
          ? `Last ${trades.length} trade(s), newest first (each at its candle's close, UTC):`
          : "Trades: none yet",
      ...trades.map(
        (t) =>
          `  ${utc(closeTimeOf(t.candleTime, t.timeframe))}  ${t.side.padEnd(4)} ${t.symbol} ${t.timeframe}  ${t.quantity.toFixed()} @ ${t.price.toFixed()}  fee ${t.fee.toFixed()}  ${t.reason}${t.realizedPnl ? `  PnL ${signed(t.realizedPnl)}` : ""}`,
      ),
    ];
    if (deadLetters.length)
      lines.push(
        `Alerts set aside, never sent (${deadLetters.length}${deadLetters.length === 20 ? " or more" : ""}; the AlertsNotSent alarm counted them):`,
        ...deadLetters.map((d) => `  ${utc(Date.parse(d.setAsideAt))}  ${d.subject}: ${d.reason}`),
      );
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    await opened.close();
  }
});

function alignedPairs(rows: readonly PairRow[]): string[] {
  const cells = rows.map((r) => [
    r.pair,
    `${r.closed} closed (${r.won} won, ${r.lost} lost)${r.open ? `, ${r.open} open` : ""}`,
    `${signedMoney(r.realizedPnl)} USDT`,
    `fees ${money(r.fees)}`,
  ]);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...cells.map((row) => (row[c] ?? "").length)));
  return cells.map(
    (row) =>
      `  ${row
        .map((cell, c) => (c === 2 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
        .join("  ")
        .trimEnd()}`,
  );
}
