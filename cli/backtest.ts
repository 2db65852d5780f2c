import { writeFileSync } from "node:fs";
import { createDocumentClient } from "../shared/adapters/dynamodb/document-client.ts";
import { dynamoDbAccount } from "../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { memoryReplayStores } from "../shared/adapters/memory/memory-replay-stores.ts";
import { buildReport } from "../shared/application/backtest/backtest-report.ts";
import { runBacktest } from "../shared/application/backtest/run-backtest.ts";
import type { Candle } from "../shared/domain/market/candle.ts";
import { TIMEFRAMES, timeframeMs } from "../shared/domain/market/timeframe.ts";
import { riskSettingsJson } from "../shared/domain/trading/risk-config.ts";
import { stakeFraction } from "../shared/domain/trading/trading-rules.ts";
import { parseFlags } from "./args.ts";
import { compareHtml, formatComparison } from "./backtest/compare-report.ts";
import { fillsCsv } from "./backtest/fills-csv.ts";
import { htmlReport } from "./backtest/html-report.ts";
import { backtestPortfolio, PORTFOLIO_FLAGS, PORTFOLIO_USAGE } from "./backtest/portfolio.ts";
import { blockedEntries, protectionsEffect, variantsOf } from "./backtest/protections-compare.ts";
import { REPLAY_FLAGS, replayCandles, replaySettings } from "./backtest/replay-input.ts";
import { formatSummary } from "./backtest/summary.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { LOCAL_TABLE, openLocalStore } from "./local/local-store.ts";
import { progressBar } from "./progress.ts";
import { reportPath } from "./report-path.ts";
import { STRATEGY_FLAGS, STRATEGY_USAGE, strategiesFromFlags } from "./strategy-flags.ts";

const USAGE = `Usage: npm run backtest -- --symbol BNBUSDT --timeframe 4h [--from 2025-01-01] [--to 2025-11-14]
                           [--csv <file>] [--json] [--html report.html] [--store]
                           [--strategy <name>] [--param key=value …] [--compare a,b,c]
                           [--initial-balance 10000] [--fee-rate 0.001] [--max-positions 3] [--stake 0.1]
                           [--risk <json>] [--compare-protections]

       npm run backtest -- --account <id> [--watchlist <file>] [--csv-dir <dir>] [--filters <file>] …

Replays history through the same trading cycle the Lambda runs, one cycle per closed candle,
on a fresh paper account, and reports what it would have done.
  --symbol <symbol>  the pair's symbol (BNBUSDT)
  --timeframe <tf>   the candles' timeframe (${TIMEFRAMES.join(" ")})
  --from, --to       UTC dates (YYYY-MM-DD) or ISO times of the candles to trade; the 299
                     candles before --from are fetched too, as the strategy's warm-up
  --csv <file>       candles from a CSV in the fixture format instead of Binance; the symbol's
                     exchange filters come from Binance's exchangeInfo (cached under
                     ./.data/exchange-info/, a folder per source), or from --tick, --step and --min-notional
  --tick <step>, --step <step>, --min-notional <amount>
                     a CSV symbol's price step, quantity step and smallest order, all three
                     (instead of Binance's exchangeInfo)
  --json             the report as JSON (money as decimal strings; ratios as numbers)
  --fills-csv <file>  every fill (time of its candle's close, side, reason, price, quantity,
                     fee, realised PnL after the fill's fee, the position after it) as CSV
  --html <file>      a self-contained HTML report with charts (works offline); a bare file
                     name goes to ./.data/reports/ (out of git's and Biome's way)
  --store            run the account on the embedded DynamoDB store instead of in memory
${STRATEGY_USAGE}
  --compare a,b,c     run several strategies on the same candles into one report (equity curves
                      side by side against buy and hold); their parameters as --param name.key=value
  --initial-balance, --fee-rate, --max-positions, --stake (fraction of equity per entry)
                     override cdk.json's settings of the same names
  --risk <json>      protections, trailing stop, risk-based sizing and slippage instead of
                     cdk.json's risk, e.g. '{"slippageBps": 5, "protections": {"cooldownCandles": 2}}'
                     (docs/risk.md)
  --compare-protections
                     each strategy with its protections and without, side by side: the entries
                     they blocked and the difference in final equity
${PORTFOLIO_USAGE}
  --config <file>, --data-dir <dir>   the configuration and the data folder (see npm start)
Binance candles are cached under ./.data/candles/ (a folder per source: Binance, or what BINANCE_BASE_URL names).`;

await runCli(async () => {
  const flags = parseFlags(USAGE, {
    ...REPLAY_FLAGS,
    json: { type: "boolean" },
    html: { type: "string" },
    store: { type: "boolean" },
    compare: { type: "string" },
    "fills-csv": { type: "string" },
    "compare-protections": { type: "boolean" },
    ...STRATEGY_FLAGS,
    ...PORTFOLIO_FLAGS,
  });
  if (!flags) return 0;
  if (flags.account !== undefined || flags.watchlist !== undefined) return backtestPortfolio(flags);
  const replay = replaySettings(flags);
  const { symbol, timeframe, dataDir } = replay;
  const strategies = strategiesFromFlags(flags);
  const settings = replay.config;
  for (const strategy of strategies) {
    if (strategy.minimumCandles > settings.window)
      throw new UsageError(
        `${strategy.name} needs ${strategy.minimumCandles} candles, more than the window of ${settings.window}`,
      );
  }
  const interval = timeframeMs(timeframe);
  // The destinations first: a mistake there is said before any candle is fetched.
  const html = flags.html ? reportPath(flags.html, dataDir) : undefined;
  const fillsFile = flags["fills-csv"] ? reportPath(flags["fills-csv"], dataDir, "--fills-csv") : undefined;
  const { candles, filters, firstIndex, end } = await replayCandles(replay, flags);

  const store = flags.store ? await openLocalStore({ memory: true, dataDir }) : undefined;
  try {
    const results = [];
    const runs = strategies.flatMap((strategy) =>
      variantsOf(settings.rules.risk, flags["compare-protections"] === true).map((variant) => ({
        strategy,
        ...variant,
      })),
    );
    for (const { strategy, label, risk } of runs) {
      const account = store
        ? dynamoDbAccount({ client: createDocumentClient(store.clientConfig), tableName: LOCAL_TABLE })
        : undefined;
      const name = `${strategy.name}${label}`;
      const bar = progressBar(`Replaying ${name}`);
      const started = performance.now();
      const strategyConfig = {
        ...settings,
        rules: { ...settings.rules, risk },
        strategy,
        defaultAccountId: `backtest-${strategy.name}${label ? "-unprotected" : ""}`,
      };
      const run = await runBacktest({
        stores: memoryReplayStores,
        symbol,
        timeframe,
        candles: candles.slice(0, end),
        firstIndex,
        filters,
        config: strategyConfig,
        ...(account ? { account } : {}),
        onProgress: (done, total) => bar.update(done, total),
      });
      const computeMs = performance.now() - started;
      const first = candles[firstIndex] as Candle;
      const report = {
        strategy: { name, version: strategy.version, params: strategy.params },
        risk: riskSettingsJson(risk) ?? null,
        blockedEntries: blockedEntries(run),
        parameters: {
          strategy: strategy.name,
          params: strategy.params,
          feeRate: settings.rules.feeRate.toFixed(),
          stakeFraction: stakeFraction(settings.rules, timeframe).toFixed(),
          maxOpenPositions: settings.rules.maxOpenPositions,
          filters: { tick: filters.tickSize, step: filters.stepSize, minNotional: filters.minNotional },
          source: flags.csv ? `the CSV ${flags.csv}` : "Binance",
        },
        ...buildReport({
          symbol,
          timeframe,
          initialBalance: settings.initialBalance,
          trades: run.trades,
          curve: [
            { time: first.openTime, equity: Number(settings.initialBalance) },
            ...run.steps.map((s) => ({ time: s.candle.openTime + interval, equity: s.equity })),
          ],
          firstClose: first.open,
          lastClose: (run.steps.at(-1)?.candle ?? first).close,
          exposedCycles: run.steps.filter((s) => s.result.position !== null).length,
          cycles: run.steps.length,
          finalEquity: run.steps.at(-1)?.result.account?.equity,
        }),
      };
      results.push({ report, run, computeMs });
    }
    const only = results.length === 1 ? results[0] : undefined;
    // The results first, then the files: a file that cannot be written (a full disk) loses no result.
    if (only) {
      if (flags.json) process.stdout.write(`${JSON.stringify(only.report)}\n`);
      else {
        process.stdout.write(formatSummary(only.report));
        process.stdout.write(
          `\n  ${only.run.steps.length} cycles replayed in ${Math.round(only.computeMs)} ms\n`,
        );
      }
    } else if (flags.json)
      process.stdout.write(`${JSON.stringify({ compare: results.map((r) => r.report) })}\n`);
    else {
      process.stdout.write(formatComparison(results.map((r) => r.report)));
      if (flags["compare-protections"]) process.stdout.write(protectionsEffect(results.map((r) => r.report)));
    }
    if (fillsFile) writeFileSync(fillsFile, fillsCsv(results.map((r) => r.report)));
    if (html)
      writeFileSync(
        html,
        only
          ? htmlReport(only.report, only.run)
          : compareHtml(results.map(({ report, run }) => ({ report, run }))),
      );
    // Where each file went (a bare name goes under .data/reports/); with --json, stdout and stderr stay clean.
    const written = [
      ...(html ? [`HTML report: ${html}`] : []),
      ...(fillsFile ? [`fills CSV: ${fillsFile}`] : []),
    ];
    if (written.length && !flags.json) process.stdout.write(`${written.join("\n")}\n`);
    return 0;
  } finally {
    await store?.close();
  }
});
