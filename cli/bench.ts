import { parseArgs } from "node:util";
import type { CandleSeries } from "../shared/domain/market/candle-series.ts";
import { evaluateWindow } from "../shared/domain/strategy/fibonacci-golden-zone.ts";
import { DEFAULT_WINDOW } from "../shared/domain/strategy/strategy-params.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { readCandlesFile } from "./read-candles-file.ts";

const USAGE = `Usage: npm run bench -- --input <candles.csv> [--json]

Median microseconds the strategy takes per ${DEFAULT_WINDOW}-candle window, over every window of the file.`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Times every window of the file once per round; the figure is the median of all timings. */
function benchSignals(series: CandleSeries, rounds: number): { usPerWindow: number; windows: number } {
  const windows = series.length - DEFAULT_WINDOW + 1;
  if (windows < 1) throw new UsageError(`the file has fewer than ${DEFAULT_WINDOW} candles`);
  const samples: number[] = [];
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    for (let w = 0; w < windows; w++) {
      const t0 = process.hrtime.bigint();
      const signal = evaluateWindow(series, w + DEFAULT_WINDOW - 1, DEFAULT_WINDOW);
      const ns = Number(process.hrtime.bigint() - t0);
      sink += signal.price;
      samples.push(ns);
    }
  }
  if (Number.isNaN(sink)) throw new Error("a signal had no price");
  return { usPerWindow: median(samples) / 1000, windows };
}

await runCli(async () => {
  let values: { input?: string | undefined; json?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      options: { input: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.input) throw new UsageError(`--input is required\n${USAGE}`);
  const series = await readCandlesFile(values.input);
  benchSignals(series, 20); // warm-up: let the JIT optimise the hot path
  const { usPerWindow, windows } = benchSignals(series, 10);
  const rounded = Math.round(usPerWindow * 100) / 100;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ signal_us_per_window: rounded, windows })}\n`);
  } else {
    process.stdout.write(
      `strategy: ${rounded} µs per ${DEFAULT_WINDOW}-candle window (median of ${windows} windows)\n`,
    );
  }
  return 0;
});
