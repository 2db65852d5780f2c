import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { DEFAULT_STACK_NAME } from "../shared/adapters/config/settings.ts";
import { marketData } from "../shared/adapters/optimize/optimize-task.ts";
import { OBJECTIVES, type Objective } from "../shared/application/optimize/evaluation.ts";
import { rankAndValidate, timeline } from "../shared/application/optimize/optimize.ts";
import { PORTFOLIO_RULE_PARAMS, type Setting } from "../shared/application/optimize/rule-params.ts";
import { type Axis, grid, parseAxis, samples } from "../shared/application/optimize/search-space.ts";
import { parseWalkForward, walkForwardMisfit } from "../shared/application/optimize/walk-forward.ts";
import { toCandleSeries } from "../shared/domain/market/candle-series.ts";
import { findStrategy } from "../shared/domain/strategies/registry.ts";
import { parseFlags } from "./args.ts";
import { PORTFOLIO_FLAGS } from "./backtest/portfolio.ts";
import { rebalancingAccount } from "./backtest/rebalance.ts";
import { REPLAY_FLAGS, replayCandles, replaySettings } from "./backtest/replay-input.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { AWS_FLAGS, awsOptions, DEFAULT_MAX_COST_USD } from "./optimize/aws-flags.ts";
import { formatOptimize, watchlistEntry } from "./optimize/format.ts";
import { optimizeHtml } from "./optimize/html.ts";
import { optimizePortfolio } from "./optimize/portfolio.ts";
import { optimizeRebalancing } from "./optimize/rebalance.ts";
import { runSearch } from "./optimize/run-search.ts";
import { reportPath } from "./report-path.ts";

const USAGE = `Usage: npm run optimize -- --strategy ma-distance --symbol BNBUSDT --timeframe 1h [--from …] [--to …]
                           [--csv <file> --tick … --step … --min-notional …] [--param name=from..to:step …]
                           [--samples 1000 --seed 1] [--objective sharpe] [--min-trades 5]
                           [--walk-forward train=6m,test=1m[,anchored]] [--top 10] [--json] [--html f] [--heatmap a,b]
       npm run optimize -- --strategy ma-distance --account <id> [--watchlist f] [--csv-dir d] [--filters f] …

Searches a strategy's parameters on the same candles and rules as npm run backtest (every setting
decides with the cycle's own code), ranks them, and says whether the best holds up on data it was
not chosen on (docs/optimize.md).
  --strategy <name>  the strategy (npm run strategies lists its parameters and bounds)
  --symbol <symbol>  the pair's symbol (BNBUSDT)
  --timeframe <tf>   the candles' timeframe
  --from, --to       UTC dates or ISO times of the candles to trade (Binance; cached)
  --csv <file>       candles from a CSV instead, with --tick, --step and --min-notional (see npm run backtest)
  --account <id>, --watchlist <file>, --csv-dir <dir>, --filters <file>
                     (a rebalancing account: --param bandPct, every, lookbackDays, no --strategy;
                     ranked by return over the same closes, --walk-forward too; docs/rebalancing.md)
                     a whole account, as npm run backtest -- --account replays it: the strategy's
                     parameters for every pair of the account trading it, the account's rules
                     (maxOpenPositions, stake, risk.*), the objective on the account's equity
  --tick <step>, --step <step>, --min-notional <amount>
                     the CSV symbol's exchange filters
  --param name=…     one value (maPeriod=50), a list (maPeriod=20,50,100), a grid axis
                     (maPeriod=20..200:10, both ends included) or, with --samples, a range
                     (maPeriod=20..200); repeatable; the others keep their default. The account's
                     rules too: stake, risk.riskPerTradePct, risk.trailingActivationPct,
                     risk.trailingDistancePct, risk.cooldownCandles
  --samples <n>      n random settings (seeded) instead of the grid, drawn from the ranges and
                     lists given (at least one: a parameter's hard bounds are no search range)
  --seed <n>         the random samples' seed (default 1)
  --objective <name> sharpe (default), sortino, calmar, return or profit-factor
  --min-trades <n>   a setting with fewer entries is not ranked (default 5)
  --walk-forward <spec>
                     train=6m,test=1m: the best setting of each training window traded on the
                     test window after it (d, w, m, y); ",anchored": training windows all start
                     at the first day
  --top <n>          rows of the ranked table (default 10)
  --workers <n>      worker threads (default: one per core; 1: this thread)
  --on aws           run the search on the research stack (npm run deploy -- -c research=true --all):
                     the same settings and data, fanned out on Step Functions' Distributed Map;
                     prints the estimated cost first (docs/optimize.md, "Bigger than one machine")
  --stack <name>     the trading stack beside which the research stack is (default ${DEFAULT_STACK_NAME})
  --max-cost <usd>   ask before a search on AWS estimated above this (default ${DEFAULT_MAX_COST_USD}); --yes: don't ask
  --batch-size <n>   settings a worker runs at once on AWS (default: from the pace measured here)
  --json             the result as JSON
  --html <file>      a page: heatmap of two parameters, in- against out-of-sample equity, the
                     windows; a bare file name goes to ./.data/reports/
  --heatmap <a,b>    the page's heatmap parameters (default: the first two that vary)
  --risk <json>      risk settings instead of cdk.json's (docs/risk.md)
  --initial-balance, --fee-rate, --max-positions, --stake
                     as in npm run backtest
  --config <file>, --data-dir <dir>
                     the configuration and the data folder (see npm start)
Ctrl-C stops after the settings in flight (on AWS: stops the execution) and reports the best so far.`;

/** More worker threads than this only slow the search down. */
const MAX_WORKERS = 2 * availableParallelism();

const whole = (flag: string, text: string | undefined, fallback: number, min: number) => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${flag} must be a whole number of at least ${min}, got "${text}"`);
  return n;
};

await runCli(async () => {
  const flags = parseFlags(USAGE, {
    ...REPLAY_FLAGS,
    strategy: { type: "string" },
    param: { type: "string", multiple: true },
    samples: { type: "string" },
    seed: { type: "string" },
    objective: { type: "string" },
    "min-trades": { type: "string" },
    "walk-forward": { type: "string" },
    top: { type: "string" },
    workers: { type: "string" },
    json: { type: "boolean" },
    html: { type: "string" },
    heatmap: { type: "string" },
    ...PORTFOLIO_FLAGS,
    ...AWS_FLAGS,
  });
  if (!flags) return 0;
  const portfolio = flags.account !== undefined || flags.watchlist !== undefined;
  const basket = rebalancingAccount(flags);
  if (basket && flags.on !== undefined)
    throw new UsageError("--on aws searches a strategy's settings; a rebalancing account's search runs here");
  if (basket) return optimizeRebalancing(flags, basket);
  if (!flags.strategy) throw new UsageError("--strategy is required, e.g. --strategy ma-distance");
  let strategy: ReturnType<typeof findStrategy>;
  try {
    strategy = findStrategy(flags.strategy, "--strategy");
  } catch (error) {
    throw new UsageError((error as Error).message); // a flag's value: a usage mistake (exit 2)
  }
  const objective = (flags.objective ?? "sharpe") as Objective;
  if (!OBJECTIVES.includes(objective))
    throw new UsageError(`--objective must be one of ${OBJECTIVES.join(", ")}, got "${flags.objective}"`);
  const minTrades = whole("min-trades", flags["min-trades"], 5, 0);
  const top = whole("top", flags.top, 10, 1);
  const workers = flags.workers === undefined ? undefined : whole("workers", flags.workers, 1, 1);
  const aws = awsOptions(flags);
  if (workers !== undefined && workers > MAX_WORKERS)
    throw new UsageError(
      `--workers ${workers}: at most ${MAX_WORKERS} (twice this machine's ${availableParallelism()} cores); more threads than cores only slow the search`,
    );
  let axes: Record<string, Axis>;
  let walk: ReturnType<typeof parseWalkForward> | undefined;
  try {
    const extra = portfolio ? PORTFOLIO_RULE_PARAMS : {};
    axes = Object.fromEntries((flags.param ?? []).map((text) => parseAxis(strategy, text, extra)));
    walk = flags["walk-forward"] === undefined ? undefined : parseWalkForward(flags["walk-forward"]);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (flags.seed !== undefined && flags.samples === undefined)
    throw new UsageError(
      "--seed seeds --samples' draws: add --samples <n>, or leave --seed out for the grid",
    );
  let settings: Setting[];
  try {
    if (flags.samples !== undefined) {
      // A parameter's hard bounds are what it accepts, not where settings make sense (emaFast=687):
      // the ranges to draw from are the trader's to give.
      if (!Object.values(axes).some((a) => a.kind === "range" || a.values.length > 1))
        throw new UsageError(
          `--samples draws from the ranges you give: add one or more, e.g. --param ${Object.keys(strategy.params)[0] ?? "name"}=${Object.values(strategy.params)[0]?.min ?? 1}..${Math.min(Object.values(strategy.params)[0]?.max ?? 100, 200)} (a parameter's hard bounds are no search range)`,
        );
      settings = samples(
        strategy,
        axes,
        whole("samples", flags.samples, 0, 1),
        whole("seed", flags.seed, 1, 0),
      );
    } else {
      const ranges = Object.entries(axes)
        .filter(([, a]) => a.kind === "range")
        .map(([n]) => n);
      if (ranges.length)
        throw new UsageError(
          `--param ${ranges.join(", ")}: a range without a step is for --samples; add :step for a grid`,
        );
      settings = grid(axes);
    }
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  // The heatmap's two parameters: as asked, else the first two that vary (a whole account's too).
  const heatmapAxes =
    flags.heatmap === undefined ? Object.keys(axes) : flags.heatmap.split(",").map((n) => n.trim());
  if (
    flags.heatmap !== undefined &&
    (heatmapAxes.length !== 2 ||
      heatmapAxes[0] === heatmapAxes[1] ||
      heatmapAxes.some((n) => !Object.hasOwn(axes, n)))
  )
    throw new UsageError(
      `--heatmap ${flags.heatmap}: name two of the searched parameters, e.g. --heatmap ${Object.keys(axes).slice(0, 2).join(",") || "maPeriod,buyThreshold"}`,
    );
  if (portfolio)
    return optimizePortfolio(flags, {
      strategy,
      settings,
      objective,
      minTrades,
      top,
      walk,
      workers,
      aws,
      heatmapAxes,
    });
  const replay = replaySettings(flags);
  const { symbol, timeframe, dataDir, config } = replay;
  // The page's destination is checked before the search: a wrong folder costs no search.
  const html = flags.html ? reportPath(flags.html, dataDir) : undefined;
  const { candles, filters, firstIndex, end } = await replayCandles(replay, flags);
  const market = {
    symbol,
    timeframe,
    candles,
    series: toCandleSeries(candles),
    firstIndex,
    end,
    filters,
    config,
  };
  if (walk) {
    const misfit = walkForwardMisfit(walk, flags["walk-forward"] as string, timeline(market).calendar);
    if (misfit) throw new UsageError(misfit);
  }
  const outcome = await runSearch({
    label: `Testing ${settings.length} settings`,
    data: { market: marketData(market) },
    strategy: strategy.name,
    settings,
    workers,
    aws,
  });
  const refused = outcome.skipped[0];
  if (outcome.evaluations.length === 0 && refused && outcome.notRun + outcome.failed === 0)
    throw new UsageError(
      `every setting was refused (${outcome.skipped.length}); the first: ${JSON.stringify(refused.setting)}: ${refused.why}`,
    );
  const result = rankAndValidate(outcome.evaluations, {
    objective,
    minTrades,
    initialBalance: Number(config.initialBalance.toFixed()),
    walkForward: walk,
    calendar: timeline(market).calendar,
    start: timeline(market).start,
  });
  const context = {
    symbol,
    timeframe,
    strategy: strategy.name,
    config,
    top,
    skipped: outcome.skipped.length,
    notRun: outcome.notRun,
    failed: outcome.failed,
  };
  // The results first, then the page: a page that cannot be written (a full disk) loses no result.
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({
        strategy: strategy.name,
        symbol,
        timeframe,
        ...result,
        // An unranked setting says so: score null, not a missing key.
        ranked: result.ranked.map((r) => ({ ...r, score: r.score ?? null })),
        walkForward: result.walkForward && {
          ...result.walkForward,
          stitched: [...result.walkForward.stitched],
        },
        skipped: outcome.skipped,
        notRun: outcome.notRun,
        failed: outcome.failed,
        watchlistEntry: watchlistEntry(result, context) ?? null,
      })}\n`,
    );
  } else process.stdout.write(formatOptimize(result, context));
  if (html) {
    writeFileSync(html, optimizeHtml(result, outcome.evaluations, context, heatmapAxes));
    if (!flags.json) process.stdout.write(`HTML report: ${html}\n`);
  }
  // A search missing settings that failed on AWS is printed, and is not a success.
  return outcome.failed > 0 ? 1 : 0;
});
