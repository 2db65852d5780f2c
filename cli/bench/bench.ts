import { CYCLE_CONFIG_DEFAULTS } from "../../shared/application/cycle/index.ts";
import { DEFAULT_STRATEGY, STRATEGIES, strategyNamed } from "../../shared/domain/strategies/registry.ts";
import { parseFlags, requireTimeframe } from "../args.ts";
import { runCli, UsageError } from "../cli-errors.ts";
import { readCandlesFile } from "../read-candles-file.ts";
import { benchBacktest, yearOfHourlyCandles } from "./backtest-bench.ts";
import { benchBundle } from "./bundle-bench.ts";
import { benchCapacity } from "./capacity-bench.ts";
import { benchClose } from "./close-bench.ts";
import { benchFanOut } from "./fan-out-bench.ts";
import { benchOptimizer, benchSteps } from "./optimize-bench.ts";
import { benchPortfolio } from "./portfolio-bench.ts";
import { benchSignals } from "./strategy-bench.ts";

/** Closed candles per evaluation, as the cycle runs them. */
const CYCLE_WINDOW = CYCLE_CONFIG_DEFAULTS.window;

const USAGE = `Usage: npm run bench -- --input <candles.csv> [--timeframe 4h] [--json] [--no-bundle] [--no-close] [--no-optimize] [--no-fan-out]

Measures the strategy (median µs per ${CYCLE_WINDOW}-candle window over every window of the file),
a backtest of the whole file and of a year of 1h candles made from it (median ms of compute),
and the function's bundle (size and import time against a DynamoDB-document-client-only bundle),
and the alert notifier's bundle (size and import time); and one candle close of a 1,000-pair
watchlist (500 symbols on 1h and 4h) against the Binance test server enforcing 6,000 weight a
minute and DynamoDB Local, 50 containers at a time: time until every cycle is done, peak weight
per minute, 429s and 418s, failed cycles, and the DynamoDB capacity a cycle consumes with the
month it makes (--no-close skips both; they need Java).
  --input <file>     the candles CSV to measure on
  --timeframe <tf>   its timeframe (default 4h)
  --json             the last line is the figures as JSON
  --no-bundle        skip the bundles' size and import time
  --no-close         skip the 1,000-pair close and the capacity figures
  --no-optimize      skip the optimizer's figures: candle-steps a second per core of its path
                     and of the backtest's, per strategy; a 10,000-setting ma-distance grid and a
                     walk-forward of 1,000 settings × 10 windows over the year of 1h candles
  --no-fan-out       skip the research stack's worker: its bundle run on batches of a search
                     (200 settings of one pair, 10 of a 20-pair account, over the year of 1h) against
                     a loopback S3, and a 10,000-setting search projected at 100 and 1,000 workers`;

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

await runCli(async () => {
  const values = parseFlags(USAGE, {
    input: { type: "string" },
    timeframe: { type: "string" },
    json: { type: "boolean" },
    "no-bundle": { type: "boolean" },
    "no-close": { type: "boolean" },
    "no-optimize": { type: "boolean" },
    "no-fan-out": { type: "boolean" },
  });
  if (!values) return 0;
  if (!values.input) throw new UsageError(`--input is required\n${USAGE}`);
  const { candles, series } = await readCandlesFile(values.input);
  const figures: Record<string, number> = {};
  const lines: string[] = [];
  for (const strategy of STRATEGIES.map((s) => strategyNamed(s.name))) {
    benchSignals(strategy, series, 20); // warm-up: let the JIT optimise the hot path
    const { usPerWindow, windows } = benchSignals(strategy, series, 10);
    const key =
      strategy.name === DEFAULT_STRATEGY
        ? "signal_us_per_window"
        : `signal_us_per_window_${strategy.name.replaceAll("-", "_")}`;
    Object.assign(figures, { [key]: round(usPerWindow), windows });
    lines.push(
      `strategy ${strategy.name}: ${round(usPerWindow)} µs per ${CYCLE_WINDOW}-candle window (median over ${windows} windows × 10 rounds)`,
    );
  }
  const timeframe = requireTimeframe(values.timeframe ?? "4h");
  const fileMs = await benchBacktest(candles, timeframe);
  const year = yearOfHourlyCandles(candles);
  const yearMs = await benchBacktest(year, "1h");
  const compareMs = await benchBacktest(
    year,
    "1h",
    3,
    STRATEGIES.map((s) => strategyNamed(s.name)),
  );
  Object.assign(figures, {
    backtest_ms: round(fileMs, 1),
    backtest_cycles: candles.length - 299,
    backtest_year_1h_ms: round(yearMs, 1),
    compare_4_year_1h_ms: round(compareMs, 1),
  });
  lines.push(
    `backtest: ${round(fileMs, 1)} ms for the file's ${candles.length} candles (${candles.length - 299} cycles); ` +
      `${round(yearMs, 1)} ms for a year of 1h candles (8,760 cycles); budgets 100 and 300 ms`,
    `compare: ${round(compareMs, 1)} ms for the ${STRATEGIES.length} strategies over that year (budget 1 s)${compareMs > 1_000 ? " — OVER" : ""}`,
  );
  if (!values["no-bundle"]) {
    const b = await benchBundle();
    Object.assign(figures, {
      bundle_bytes: b.bundleBytes,
      baseline_bundle_bytes: b.baselineBytes,
      bundle_size_ratio: round(b.bundleBytes / b.baselineBytes),
      import_ms: round(b.importMs, 1),
      baseline_import_ms: round(b.baselineImportMs, 1),
      import_time_ratio: round(b.importMs / b.baselineImportMs),
      notifier_bundle_bytes: b.notifierBytes,
      notifier_import_ms: round(b.notifierImportMs, 1),
    });
    lines.push(
      `bundle: ${round(b.bundleBytes / 1024, 0)} KB, ${round(b.importMs, 1)} ms to import; ` +
        `DynamoDB-client-only bundle: ${round(b.baselineBytes / 1024, 0)} KB, ${round(b.baselineImportMs, 1)} ms ` +
        `(×${figures.bundle_size_ratio} size, ×${figures.import_time_ratio} import; budget ×1.3)`,
      `notifier bundle: ${round(b.notifierBytes / 1024, 0)} KB, ${round(b.notifierImportMs, 1)} ms to import (SSM client only, no DynamoDB client)`,
    );
  }
  if (!values["no-close"]) {
    const c = await benchClose(candles);
    Object.assign(figures, {
      close_pairs: c.pairs,
      close_done_ms: round(c.doneMs, 0),
      close_peak_weight_per_minute: c.peakWeightPerMinute,
      close_429s: c.status429,
      close_418s: c.status418,
      close_failed_cycles: c.failed,
    });
    lines.push(
      `close of ${c.pairs.toLocaleString("en")} pairs (${c.concurrency} containers at a time): every cycle done in ${round(c.doneMs / 1000, 1)} s (goal ≤ 60 s); ` +
        `peak ${c.peakWeightPerMinute} weight per minute (≤ 6,000); ${c.status429} × 429, ${c.status418} × 418; ${c.failed} failed cycles; ` +
        `${c.klinesCalls} klines and ${c.exchangeInfoCalls} exchangeInfo calls (${c.buySignals} BUY signals, ${c.entries} entries)`,
    );
  }
  if (!values["no-optimize"]) {
    for (const s of await benchSteps(year)) {
      const key = s.strategy.replaceAll("-", "_");
      Object.assign(figures, {
        [`optimizer_steps_per_s_${key}`]: s.optimizerPerSecond,
        [`backtest_steps_per_s_${key}`]: s.backtestPerSecond,
      });
      lines.push(
        `optimizer ${s.strategy}: ${s.optimizerPerSecond.toLocaleString("en")} candle-steps/s on one core (npm run backtest's path: ${s.backtestPerSecond.toLocaleString("en")}, ×${round(s.optimizerPerSecond / s.backtestPerSecond, 1)}); ${round(s.usPerStep)} µs a step`,
      );
    }
    const o = await benchOptimizer(year);
    Object.assign(figures, {
      optimize_grid_10000_s: round(o.grid.seconds, 1),
      walk_forward_1000x10_s: round(o.walkForward.seconds, 1),
    });
    lines.push(
      `optimize: ${o.grid.evaluated.toLocaleString("en")} ma-distance settings over the year of 1h candles in ${round(o.grid.seconds, 1)} s on every core (goal ≤ 15 s)`,
      `walk-forward: ${o.walkForward.evaluated.toLocaleString("en")} settings × ${o.walkForward.windows} windows in ${round(o.walkForward.seconds, 1)} s (goal ≤ 30 s)`,
    );
  }
  if (!values["no-close"]) {
    // DynamoDB Local (Java), as the close's figures: what a cycle costs, and the month it makes.
    const u = await benchCapacity(year);
    const month = (cycles: number) => (cycles * (u.quiet.read * 0.125 + u.quiet.write * 0.625)) / 1e6;
    Object.assign(figures, {
      capacity_quiet_read: u.quiet.read,
      capacity_quiet_write: u.quiet.write,
      capacity_entry_read: u.entry.read,
      capacity_entry_write: u.entry.write,
      capacity_held_read: u.held.read,
      capacity_held_write: u.held.write,
      capacity_protected_read: u.protectedQuiet.read,
      capacity_protected_write: u.protectedQuiet.write,
    });
    lines.push(
      `capacity (ReturnConsumedCapacity on DynamoDB Local, read/write units a cycle): quiet ${u.quiet.read}/${u.quiet.write}, entry ${u.entry.read}/${u.entry.write}, held ${u.held.read}/${u.held.write}, quiet with a protection ${u.protectedQuiet.read}/${u.protectedQuiet.write}; ` +
        `DynamoDB a month: $${month(4_650).toFixed(2)} for 5 symbols on 1h, 4h and 1d, $${month(720_000).toFixed(2)} for 1,000 pairs on 1h (docs/operations.md)`,
    );
  }
  if (!values["no-optimize"]) {
    const p = await benchPortfolio(year);
    Object.assign(figures, {
      portfolio_backtest_20x1h_year_ms: round(p.backtestMs, 0),
      portfolio_steps_per_s: p.portfolioPerSecond,
      portfolio_single_steps_per_s: p.singlePerSecond,
      portfolio_search_1000_s: round(p.searchSeconds, 1),
    });
    lines.push(
      `portfolio backtest: ${p.pairs} pairs × a year of 1h candles (${p.cycles.toLocaleString("en")} cycles through the cycle code) in ${round(p.backtestMs / 1000, 1)} s`,
      `portfolio optimizer: ${p.portfolioPerSecond.toLocaleString("en")} candle-steps/s on one core against the single-pair optimizer's ${p.singlePerSecond.toLocaleString("en")} in this run (×${round(p.singlePerSecond / p.portfolioPerSecond, 2)}; goal within ×1.5)`,
      `portfolio search: ${p.settings.toLocaleString("en")} ma-distance settings over the ${p.pairs} pairs in ${round(p.searchSeconds, 1)} s on every core (goal ≤ 60 s)${p.searchSeconds > 60 ? " — OVER" : ""}`,
    );
  }
  if (!values["no-fan-out"]) {
    const f = await benchFanOut(year);
    Object.assign(figures, {
      fan_out_pair_batch_200_s: round(f.pairBatchSeconds, 3),
      fan_out_account_batch_10_s: round(f.accountBatchSeconds, 3),
      fan_out_pair_10000_wall_s_100: round(f.pair.at100.wallSeconds, 1),
      fan_out_pair_10000_wall_s_1000: round(f.pair.at1000.wallSeconds, 1),
      fan_out_account200_10000_wall_s_100: round(f.account200.at100.wallSeconds, 1),
      fan_out_account200_10000_wall_s_1000: round(f.account200.at1000.wallSeconds, 1),
    });
    const plan = (p: typeof f.pair.at100, workers: string) =>
      `${workers} workers: ${p.batches.toLocaleString("en")} batches of ${p.batchSize}, ${round(p.wallSeconds, p.wallSeconds < 1 ? 2 : 1)} s of work, $${p.dollars.total.toFixed(2)}`;
    lines.push(
      `fan-out worker (its bundle, loopback S3): 200 ma-distance settings of one pair over the year of 1h in ${round(f.pairBatchSeconds, 2)} s a batch (the first, reading the data: ${round(f.pairColdSeconds, 2)} s); 10 settings of the ${f.accountPairs}-pair account in ${round(f.accountBatchSeconds, 2)} s (first ${round(f.accountColdSeconds, 2)} s)`,
      `fan-out, 10,000 settings of one pair: ${plan(f.pair.at100, "100")}; ${plan(f.pair.at1000, "1,000")} (plus start-up)`,
      `fan-out, 10,000 settings of a ${f.accountPairs}-pair account: ${plan(f.account.at100, "100")}; ${plan(f.account.at1000, "1,000")}`,
      `fan-out, 10,000 settings of a 200-pair account (the 20-pair pace × 10): ${plan(f.account200.at100, "100")}; ${plan(f.account200.at1000, "1,000")}`,
    );
  }
  if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
});
