import { writeFileSync } from "node:fs";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { portfolioReport } from "../../shared/application/backtest/portfolio-report.ts";
import { runPortfolio, SAME_CLOSE_ORDER } from "../../shared/application/backtest/run-portfolio.ts";
import { progressBar } from "../progress.ts";
import { reportPath } from "../report-path.ts";
import { type PortfolioFlags, portfolioMarket, portfolioStart } from "./portfolio-input.ts";
import { formatPortfolio, portfolioFillsCsv, portfolioHtml } from "./portfolio-output.ts";
import { backtestRebalancing, rebalancingAccount } from "./rebalance.ts";

export const PORTFOLIO_FLAGS = {
  account: { type: "string" },
  watchlist: { type: "string" },
  "csv-dir": { type: "string" },
  filters: { type: "string" },
} as const;

export const PORTFOLIO_USAGE = `  --account <id>     a whole account as the fleet trades it: its pairs in the configuration (or
                     --watchlist), one shared account, every close's cycles in the watchlist's order;
                     a rebalancing account (tradingBot.rebalancing): its basket at every close of its
                     timeframe, against buy and hold and equal weight; --compare a,b adds accounts
                     of the watchlist over the same closes
  --watchlist <file> a watchlist (JSON, entries as cdk.json's tradingBot.watchlist) instead of the
                     configuration's
  --csv-dir <dir>    one CSV per pair, named as the fixtures are (BNBUSDT-4h.csv), instead of Binance
  --filters <file>   each symbol's exchange filters, Binance's names: {"BTCUSDT": {"tickSize": "0.01",
                     "stepSize": "0.00001", "minNotional": "5"}} (default: Binance's exchangeInfo)`;

/** `npm run backtest -- --account …`: the account's pairs on one account, through the same cycle. */
export async function backtestPortfolio(
  flags: PortfolioFlags & { json?: boolean; html?: string; "fills-csv"?: string; compare?: string },
): Promise<number> {
  const basket = rebalancingAccount(flags);
  if (basket) return backtestRebalancing(flags, basket);
  const { from, to, dataDir, local, accountId, pairs, config } = portfolioStart(flags, [
    "symbol",
    "timeframe",
    "csv",
    "compare",
    "strategy",
    "param",
    "compare-protections",
    "store",
  ]);
  const html = flags.html ? reportPath(flags.html, dataDir) : undefined;
  const fillsFile = flags["fills-csv"] ? reportPath(flags["fills-csv"], dataDir, "--fills-csv") : undefined;
  const market = await portfolioMarket({ flags, pairs, local, window: config.window, from, to, dataDir });
  const bar = progressBar(`Replaying ${pairs.length} pairs of account ${accountId}`);
  const run = await runPortfolio({
    accountId,
    pairs: market.pairs,
    from: market.from,
    to: market.to,
    config,
    stores: memoryReplayStores,
    onProgress: (done, total) => bar.update(done, total),
  });
  const report = portfolioReport(run, market.pairs, {
    accountId,
    quoteAsset: config.quoteAsset,
    initialBalance: config.initialBalance,
    maxOpenPositions: config.rules.maxOpenPositions,
    from: market.from,
    to: market.to,
    sameCloseOrder: SAME_CLOSE_ORDER,
  });
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatPortfolio(report));
  if (fillsFile) writeFileSync(fillsFile, portfolioFillsCsv(run));
  if (html) writeFileSync(html, portfolioHtml(report));
  if (!flags.json) {
    if (html) process.stdout.write(`HTML report: ${html}\n`);
    if (fillsFile) process.stdout.write(`fills CSV: ${fillsFile}\n`);
  }
  return 0;
}
