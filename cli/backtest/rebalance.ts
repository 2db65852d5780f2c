import type { WatchedPair } from "../../shared/adapters/config/watchlist.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { runPortfolio } from "../../shared/application/backtest/run-portfolio.ts";
import {
  type RebalanceReport,
  rebalanceReport,
} from "../../shared/application/rebalance/rebalance-report.ts";
import { runRebalance } from "../../shared/application/rebalance/run-rebalance.ts";
import { minuteUtc } from "../../shared/domain/market/utc.ts";
import { type Basket, candlesNeeded } from "../../shared/domain/rebalance/basket.ts";
import { UsageError } from "../cli-errors.ts";
import { readLocalConfig } from "../local/local-config.ts";
import { localPaths } from "../local/local-flags.ts";
import { progressBar } from "../progress.ts";
import { type PortfolioFlags, portfolioMarket, portfolioPeriod, portfolioStart } from "./portfolio-input.ts";

const pct = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(2)} %`;

/**
 * What a rebalancing account's commands start from: the period, the configuration, and each leg's
 * candles and filters with `window` candles before the first close (as for a whole account).
 */
export async function basketMarket(flags: PortfolioFlags, basket: Basket, window: number) {
  const { from, to, dataDir, local } = portfolioPeriod(flags);
  const legs = basket.symbols.map((symbol) => ({ symbol, timeframe: basket.timeframe }) as WatchedPair);
  const market = await portfolioMarket({ flags, pairs: legs, local, window, from, to, dataDir });
  return { from, to, dataDir, local, market };
}

/** The rebalancing account `--account` names in the configuration, if it is one. */
export function rebalancingAccount(flags: PortfolioFlags): Basket | undefined {
  if (!flags.account || flags.watchlist) return undefined;
  const { configFile } = localPaths(flags as { config?: string; "data-dir"?: string });
  return readLocalConfig(configFile, process.env).settings.rebalancing.find(
    (b) => b.accountId === flags.account,
  );
}

const ONE_PAIR = [
  "symbol",
  "timeframe",
  "csv",
  "strategy",
  "param",
  "compare-protections",
  "store",
  "stake",
  "html",
  "fills-csv",
];

function format(report: RebalanceReport, compared: readonly string[]): string {
  const weights = report.lastWeights.map((w) => `${w.symbol} ${w.current} % → ${w.target} %`).join(", ");
  return [
    `Rebalancing backtest of account ${report.accountId}: ${report.symbols.join(", ")} (${report.weighting}), ${report.schedule}, band ${report.bandPct} points`,
    `  candles opening ${minuteUtc(report.from)} to ${minuteUtc(report.to)}: ${report.closes} closes, ${report.scheduled} scheduled, ${report.rebalances} rebalanced`,
    `  equity ${report.initialEquity} → ${report.finalEquity} ${report.quoteAsset} (${pct(report.returnPct)}), max drawdown ${report.maxDrawdownPct.toFixed(2)} %`,
    `  buy and hold of the basket at its first targets: ${report.buyAndHold.finalEquity} ${report.quoteAsset} (${pct(report.buyAndHold.returnPct)}), max drawdown ${report.buyAndHold.maxDrawdownPct.toFixed(2)} %`,
    `  equal weight, bought and held: ${report.equalWeight.finalEquity} ${report.quoteAsset} (${pct(report.equalWeight.returnPct)}), max drawdown ${report.equalWeight.maxDrawdownPct.toFixed(2)} %`,
    ...compared,
    `  ${report.fills} fills, turnover ${report.turnover.toFixed(2)}× the average equity, fees paid ${report.feesPaid} ${report.quoteAsset}${report.skippedLegs ? `, ${report.skippedLegs} leg(s) below the exchange's minimum skipped` : ""}`,
    ...(weights ? [`  weights at the last scheduled close, before its trades → target: ${weights}`] : []),
    "",
  ].join("\n");
}

/** `npm run backtest -- --account <rebalancing id>`: the basket through the same rebalance the Lambda runs. */
export async function backtestRebalancing(
  flags: PortfolioFlags & { json?: boolean; compare?: string },
  basket: Basket,
): Promise<number> {
  for (const single of ONE_PAIR)
    if (flags[single] !== undefined)
      throw new UsageError(`--${single} is not for a rebalancing account (${basket.accountId})`);
  const { from, to, dataDir, local, market } = await basketMarket(flags, basket, candlesNeeded(basket));
  const quoteAsset = local.cycle.quoteAsset;
  // --compare: signal strategies' accounts of the configuration, over the closes every account can trade.
  const others = [];
  for (const other of (flags.compare ?? "").split(",").filter(Boolean)) {
    const start = portfolioStart({ ...flags, account: other, compare: undefined }, []);
    const theirs = await portfolioMarket({
      flags,
      pairs: start.pairs,
      local,
      window: start.config.window,
      from,
      to,
      dataDir,
    });
    others.push({ other, start, theirs });
  }
  const periodFrom = Math.max(market.from, ...others.map((o) => o.theirs.from));
  const periodTo = Math.min(market.to, ...others.map((o) => o.theirs.to));
  if (periodFrom > periodTo)
    throw new UsageError("the basket and the compared accounts share no period to trade");
  const bar = progressBar(`Replaying the ${basket.symbols.length} legs of account ${basket.accountId}`);
  const run = await runRebalance({
    basket,
    quoteAsset,
    pairs: market.pairs,
    from: periodFrom,
    to: periodTo,
    stores: memoryReplayStores,
    onProgress: (done, total) => bar.update(done, total),
  });
  const report = rebalanceReport(run, basket, quoteAsset, periodFrom, periodTo);
  const compared: { accountId: string; finalEquity: string; returnPct: number }[] = [];
  for (const { other, start, theirs } of others) {
    const result = await runPortfolio({
      accountId: other,
      pairs: theirs.pairs,
      from: periodFrom,
      to: periodTo,
      config: start.config,
      stores: memoryReplayStores,
    });
    const initial = Number(start.config.initialBalance);
    const final = result.marks.at(-1)?.equity ?? initial;
    compared.push({
      accountId: other,
      finalEquity: final.toFixed(2),
      returnPct: ((final - initial) / initial) * 100,
    });
  }
  const lines = compared.map(
    (c) =>
      `  account ${c.accountId} (its strategies, same closes): ${c.finalEquity} ${quoteAsset} (${pct(c.returnPct)})`,
  );
  process.stdout.write(flags.json ? `${JSON.stringify({ ...report, compared })}\n` : format(report, lines));
  return 0;
}
