import { writeFileSync } from "node:fs";
import { type PortfolioData, rulesData } from "../../shared/adapters/optimize/optimize-task.ts";
import type { Objective } from "../../shared/application/optimize/evaluation.ts";
import { rankAndValidate } from "../../shared/application/optimize/optimize.ts";
import {
  type AccountPair,
  type PortfolioMarket,
  portfolioTimeline,
} from "../../shared/application/optimize/portfolio-optimize.ts";
import type { Setting } from "../../shared/application/optimize/rule-params.ts";
import { splitSetting, withRules } from "../../shared/application/optimize/rule-params.ts";
import { portfolioSchedule } from "../../shared/application/optimize/simulate-portfolio.ts";
import { type parseWalkForward, walkForwardMisfit } from "../../shared/application/optimize/walk-forward.ts";
import { toCandleSeries } from "../../shared/domain/market/candle-series.ts";
import type { Strategy } from "../../shared/domain/strategies/strategy.ts";
import { riskSettingsJson } from "../../shared/domain/trading/risk-config.ts";
import { type PortfolioFlags, portfolioMarket, portfolioStart } from "../backtest/portfolio-input.ts";
import { UsageError } from "../cli-errors.ts";
import { reportPath } from "../report-path.ts";
import type { AwsOptions } from "./aws-flags.ts";
import { formatOptimize } from "./format.ts";
import { optimizeHtml } from "./html.ts";
import { runSearch } from "./run-search.ts";

/** `npm run optimize -- --account …`: a strategy's parameters and the account's rules, searched on the whole account. */
export async function optimizePortfolio(
  flags: PortfolioFlags & { json?: boolean; html?: string; heatmap?: string; "walk-forward"?: string },
  search: {
    strategy: Strategy;
    settings: readonly Setting[];
    objective: Objective;
    minTrades: number;
    top: number;
    walk: ReturnType<typeof parseWalkForward> | undefined;
    workers: number | undefined;
    aws: AwsOptions | undefined;
    /** The page's heatmap parameters (as asked, else those searched). */
    heatmapAxes: readonly string[];
  },
): Promise<number> {
  const { strategy, settings } = search;
  const { from, to, dataDir, local, accountId, pairs, config } = portfolioStart(flags, [
    "symbol",
    "timeframe",
    "csv",
    "tick",
    "step",
    "min-notional",
  ]);
  if (!pairs.some((p) => p.strategy.name === strategy.name))
    throw new UsageError(
      `account ${accountId} has no pair trading ${strategy.name}; its pairs trade ${[...new Set(pairs.map((p) => p.strategy.name))].join(", ")}`,
    );
  const html = flags.html ? reportPath(flags.html, dataDir) : undefined;
  const loaded = await portfolioMarket({ flags, pairs, local, window: config.window, from, to, dataDir });
  const market: PortfolioMarket = {
    pairs: loaded.pairs.map((p, k): AccountPair => {
      const w = pairs[k];
      if (!w) throw new Error("pair lost");
      return {
        ...p,
        series: toCandleSeries(p.candles),
        strategy: w.strategy,
        params: w.params,
        risk: w.risk,
      };
    }),
    schedule: portfolioSchedule(loaded.pairs, loaded.from, loaded.to),
    config,
  };
  const data: PortfolioData = {
    pairs: loaded.pairs.map((p, k) => {
      const w = pairs[k] as (typeof pairs)[number];
      return {
        symbol: p.symbol,
        timeframe: p.timeframe,
        candles: p.candles,
        filters: p.filters,
        strategy: w.strategy.name,
        params: w.params,
        risk: w.risk ? riskSettingsJson(w.risk) : undefined,
      };
    }),
    from: loaded.from,
    to: loaded.to,
    rules: rulesData(config),
  };
  const { calendar, start } = portfolioTimeline(market);
  // A walk-forward that no window fits is a usage mistake said before the search, not after it.
  const misfit = search.walk && walkForwardMisfit(search.walk, flags["walk-forward"] ?? "", calendar);
  if (misfit) throw new UsageError(misfit);
  const outcome = await runSearch({
    label: `Testing ${settings.length} settings on account ${accountId} (${pairs.length} pairs)`,
    data: { portfolio: data },
    strategy: strategy.name,
    settings,
    workers: search.workers,
    aws: search.aws,
  });
  const { evaluations, skipped, notRun, failed } = outcome;
  const refused = skipped[0];
  if (evaluations.length === 0 && refused && notRun + failed === 0)
    throw new UsageError(
      `every setting was refused (${skipped.length}); the first: ${JSON.stringify(refused.setting)}: ${refused.why}`,
    );
  const result = rankAndValidate(evaluations, {
    objective: search.objective,
    minTrades: search.minTrades,
    initialBalance: Number(config.initialBalance.toFixed()),
    walkForward: search.walk,
    calendar,
    start,
  });
  const chosen = result.walkForward
    ? result.walkForward.windows.at(-1)?.chosen
    : result.ranked[0]?.score === undefined
      ? undefined
      : result.ranked[0]?.setting;
  const entries = chosen ? accountEntries(chosen, accountId, pairs, config, strategy.name) : undefined;
  const context = {
    symbol: `account ${accountId}`,
    timeframe: `(${pairs.length} pairs)` as never,
    strategy: strategy.name,
    config,
    top: search.top,
    skipped: skipped.length,
    notRun,
    failed,
  };
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({
        strategy: strategy.name,
        accountId,
        pairs: pairs.map((p) => `${p.symbol} ${p.timeframe}`),
        ...result,
        ranked: result.ranked.map((r) => ({ ...r, score: r.score ?? null })),
        walkForward: result.walkForward && {
          ...result.walkForward,
          stitched: [...result.walkForward.stitched],
        },
        skipped,
        notRun,
        failed,
        watchlistEntries: entries?.entries ?? null,
        accountSettings: entries?.account ?? null,
      })}\n`,
    );
  } else {
    process.stdout.write(
      formatOptimize(result, context, () =>
        entries
          ? `As the account's watchlist entries for cdk.json (${result.walkForward ? "the last window's choice" : "in-sample only: validate with --walk-forward"}):\n${entries.entries.map((e) => `  ${JSON.stringify(e)}`).join("\n")}${Object.keys(entries.account).length ? `\n  and in tradingBot: ${JSON.stringify(entries.account)}` : ""}`
          : "No setting qualifies for watchlist entries.",
      ),
    );
  }
  if (html) {
    writeFileSync(html, optimizeHtml(result, evaluations, context, search.heatmapAxes));
    if (!flags.json) process.stdout.write(`HTML report: ${html}\n`);
  }
  // A search missing settings that failed on AWS is printed, and is not a success.
  return failed > 0 ? 1 : 0;
}

/** The chosen setting as the account's watchlist entries (one per pair trading the strategy), and the account's own settings it moves. */
function accountEntries(
  chosen: Setting,
  accountId: string,
  pairs: ReturnType<typeof portfolioStart>["pairs"],
  config: ReturnType<typeof portfolioStart>["config"],
  strategy: string,
) {
  const { strategy: params, rules } = splitSetting(chosen);
  const searchedRisk = Object.keys(rules).some((name) => name.startsWith("risk."));
  const entries = pairs.map((p) => {
    const risk = searchedRisk
      ? riskSettingsJson(
          withRules(
            { ...config, rules: { ...config.rules, risk: p.risk ?? config.rules.risk } },
            rules,
            p.timeframe,
          ).rules.risk,
        )
      : p.riskJson === undefined
        ? undefined
        : JSON.stringify(p.riskJson);
    return {
      symbol: p.symbol,
      timeframes: [p.timeframe],
      strategy: p.strategy.name,
      params: p.strategy.name === strategy ? { ...p.params, ...params } : p.params,
      account: accountId,
      ...(risk ? { risk: JSON.parse(risk) as unknown } : {}),
    };
  });
  const account: Record<string, unknown> = {};
  if (rules.maxOpenPositions !== undefined) account.maxOpenPositions = rules.maxOpenPositions;
  if (rules.stake !== undefined)
    account.stakeFractions = Object.fromEntries(
      [...new Set(pairs.map((p) => p.timeframe))].map((t) => [t, String(rules.stake)]),
    );
  return { entries, account };
}
