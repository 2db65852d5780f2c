import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDocumentClient } from "../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { buildReport } from "../shared/application/backtest/backtest-report.ts";
import { runBacktest } from "../shared/application/backtest/run-backtest.ts";
import type { CycleConfig } from "../shared/application/cycle-config.ts";
import { InvalidCandlesError } from "../shared/domain/errors.ts";
import type { Candle } from "../shared/domain/market/candle.ts";
import { timeframeMs } from "../shared/domain/market/timeframe.ts";
import { dec } from "../shared/domain/money/decimal.ts";
import { parseFlags, requireSymbol, requireTimeframe } from "./args.ts";
import { CSV_FILTERS, candlesFromBinance, candlesFromCsv } from "./backtest/backtest-data.ts";
import { htmlReport } from "./backtest/html-report.ts";
import { formatSummary } from "./backtest/summary.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { readLocalConfig } from "./local/local-config.ts";
import { localPaths } from "./local/local-flags.ts";
import { LOCAL_TABLE, openLocalStore } from "./local/local-store.ts";
import { progressBar } from "./progress.ts";

const USAGE = `Usage: npm run backtest -- --symbol BNBUSDT --timeframe 4h [--from 2025-01-01] [--to 2025-11-14]
                           [--csv <file>] [--json] [--html report.html] [--store]
                           [--initial-balance 10000] [--fee-rate 0.001] [--max-positions 3] [--stake 0.1]

Replays history through the same trading cycle the Lambda runs, one cycle per closed candle,
on a fresh paper account, and reports what it would have done.
  --from, --to       UTC dates (YYYY-MM-DD) or ISO times of the candles to trade; the 299
                     candles before --from are fetched too, as the strategy's warm-up
  --csv <file>       candles from a CSV in the fixture format instead of Binance
                     (exchange filters then BNBUSDT's: tick 0.01, lot 0.001, min notional 5)
  --json             the report as JSON
  --html <file>      a self-contained HTML report with charts (works offline)
  --store            run the account on the embedded DynamoDB store instead of in memory
  --initial-balance, --fee-rate, --max-positions, --stake (fraction of equity per entry)
                     override cdk.json's risk settings
Binance candles are cached under ./.data/candles/.`;

/** A UTC date or ISO time; a bare date given to --to means the whole of that day. */
function parseTime(flag: "--from" | "--to", text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const time = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(time)) throw new UsageError(`${flag} must be a date such as 2025-01-01, got "${text}"`);
  return dateOnly && flag === "--to" ? time + 86_400_000 - 1 : time;
}

function withOverrides(
  config: CycleConfig,
  flags: Record<string, string | boolean | undefined>,
  timeframe: string,
): CycleConfig {
  const decimal = (flag: string) => {
    const text = flags[flag];
    if (text === undefined) return undefined;
    try {
      const value = dec(String(text));
      if (value.lte(0)) throw new Error();
      return value;
    } catch {
      throw new UsageError(`--${flag} must be a positive decimal, got "${text}"`);
    }
  };
  const maxPositions = flags["max-positions"] === undefined ? undefined : Number(flags["max-positions"]);
  if (maxPositions !== undefined && !(Number.isInteger(maxPositions) && maxPositions >= 1)) {
    throw new UsageError(
      `--max-positions must be a whole number of at least 1, got "${flags["max-positions"]}"`,
    );
  }
  const stake = decimal("stake");
  return {
    ...config,
    defaultAccountId: "backtest",
    initialBalance: decimal("initial-balance") ?? config.initialBalance,
    rules: {
      ...config.rules,
      feeRate: decimal("fee-rate") ?? config.rules.feeRate,
      maxOpenPositions: maxPositions ?? config.rules.maxOpenPositions,
      ...(stake ? { stakeFractions: { ...config.rules.stakeFractions, [timeframe]: stake } } : {}),
    },
  };
}

await runCli(async () => {
  const flags = parseFlags(USAGE, {
    symbol: { type: "string" },
    timeframe: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    csv: { type: "string" },
    json: { type: "boolean" },
    html: { type: "string" },
    store: { type: "boolean" },
    "initial-balance": { type: "string" },
    "fee-rate": { type: "string" },
    "max-positions": { type: "string" },
    stake: { type: "string" },
    config: { type: "string" },
    "data-dir": { type: "string" },
  });
  if (!flags) return 0;
  const symbol = requireSymbol(flags.symbol);
  const timeframe = requireTimeframe(flags.timeframe);
  const from = parseTime("--from", flags.from);
  const to = parseTime("--to", flags.to);
  if (from !== undefined && to !== undefined && from > to)
    throw new UsageError(`--from (${flags.from}) is after --to (${flags.to})`);
  const { configFile, dataDir } = localPaths(flags);
  const local = readLocalConfig(configFile, process.env);
  const config = withOverrides(local.cycle, flags, timeframe);
  const warmup = config.window - 1;
  const interval = timeframeMs(timeframe);

  let candles: Candle[];
  let filters = CSV_FILTERS(symbol);
  if (flags.csv) {
    candles = await candlesFromCsv(flags.csv, timeframe);
  } else {
    if (from === undefined)
      throw new UsageError("--from is required when the candles come from Binance (or give --csv)");
    const fetched = await candlesFromBinance({
      symbol,
      timeframe,
      from: from - warmup * interval,
      to: to ?? Date.now(),
      cacheDir: join(dataDir, "candles"),
      binance: local.binance,
    });
    candles = fetched.candles;
    filters = fetched.filters;
  }
  const firstIndex = from === undefined ? warmup : candles.findIndex((c) => c.openTime >= from);
  const end = to === undefined ? candles.length : candles.findLastIndex((c) => c.openTime <= to) + 1;
  if (firstIndex < 0 || firstIndex >= end)
    throw new InvalidCandlesError(
      `no candle to trade between ${flags.from ?? "the start"} and ${flags.to ?? "the end"}`,
    );
  if (firstIndex < warmup) {
    throw new InvalidCandlesError(
      `the strategy needs ${warmup} candles before the first one traded; there are ${firstIndex} before ${flags.from ?? "it"}`,
    );
  }

  const store = flags.store ? await openLocalStore({ memory: true, dataDir }) : undefined;
  try {
    const repository = store
      ? new DynamoDbAccountRepository({
          client: createDocumentClient(store.clientConfig),
          tableName: LOCAL_TABLE,
        })
      : undefined;
    const bar = progressBar("Replaying");
    const started = performance.now();
    const run = await runBacktest({
      symbol,
      timeframe,
      candles: candles.slice(0, end),
      firstIndex,
      filters,
      config,
      ...(repository ? { repository } : {}),
      onProgress: (done, total) => bar.update(done, total),
    });
    const computeMs = performance.now() - started;
    const first = candles[firstIndex] as Candle;
    const report = buildReport({
      symbol,
      timeframe,
      initialBalance: config.initialBalance,
      trades: run.trades,
      curve: [
        { time: first.openTime, equity: Number(config.initialBalance) },
        ...run.steps.map((s) => ({ time: s.candle.openTime + interval, equity: s.equity })),
      ],
      firstClose: first.open,
      lastClose: (run.steps.at(-1)?.candle ?? first).close,
      exposedCycles: run.steps.filter((s) => s.result.position !== null).length,
      cycles: run.steps.length,
    });
    if (flags.html) writeFileSync(flags.html, htmlReport(report, run));
    if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      process.stdout.write(formatSummary(report));
      process.stdout.write(
        `\n  ${run.steps.length} cycles replayed in ${Math.round(computeMs)} ms${flags.html ? `; HTML report: ${flags.html}` : ""}\n`,
      );
    }
    return 0;
  } finally {
    await store?.close();
  }
});
