import { signalToJsonl } from "../shared/adapters/files/signal-jsonl.ts";
import { InvalidCandlesError } from "../shared/domain/errors.ts";
import { evaluateWindow } from "../shared/domain/strategy/fibonacci-golden-zone.ts";
import { DEFAULT_WINDOW, minimumCandles, strategyParams } from "../shared/domain/strategy/strategy-params.ts";
import { parseFlags } from "./args.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { readCandlesFile } from "./read-candles-file.ts";

const USAGE = `Usage: npm run signals -- --input <candles.csv> [--window 300]

Prints one JSON line per window of the CSV, in the reference's fixture format.`;

export function parseWindow(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WINDOW;
  const window = Number(text);
  if (!/^\d+$/.test(text) || window < minimumCandles(strategyParams())) {
    throw new UsageError(
      `--window must be a whole number of at least ${minimumCandles(strategyParams())}, got "${text}"`,
    );
  }
  return window;
}

await runCli(async () => {
  const values = parseFlags(USAGE, { input: { type: "string" }, window: { type: "string" } });
  if (!values) return 0;
  if (!values.input) throw new UsageError(`--input is required\n${USAGE}`);
  const window = parseWindow(values.window);
  const { series } = await readCandlesFile(values.input);
  if (series.length < window) {
    throw new InvalidCandlesError(
      `${values.input} has ${series.length} candles, fewer than the window of ${window}`,
    );
  }
  const lines: string[] = [];
  for (let last = window - 1; last < series.length; last++) {
    lines.push(signalToJsonl(series.openTime[last] as number, evaluateWindow(series, last, window)));
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
});
