import { CYCLE_CONFIG_DEFAULTS } from "../shared/application/cycle/index.ts";
import { InvalidCandlesError } from "../shared/domain/errors.ts";
import { parseFlags } from "./args.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { checkNoGaps, readCandlesFile } from "./read-candles-file.ts";
import { STRATEGY_FLAGS, STRATEGY_USAGE, strategiesFromFlags } from "./strategy-flags.ts";

/** Closed candles per evaluation, as the cycle runs them. */
const CYCLE_WINDOW = CYCLE_CONFIG_DEFAULTS.window;

const USAGE = `Usage: npm run signals -- --input <candles.csv> [--window 300] [--strategy <name>] [--param key=value …]

Prints one JSON line per window of the CSV: at least "t" (the open time of the window's last
candle) and "action". The Fibonacci strategy prints the reference's fixture format, byte for byte.
  --input <file>      the candles CSV (timestamp,open,high,low,close,volume)
  --window <n>        candles per window (default 300)
${STRATEGY_USAGE}`;

function parseWindow(text: string | undefined, minimum: number): number {
  if (text === undefined) return Math.max(CYCLE_WINDOW, minimum);
  const window = Number(text);
  if (!/^\d+$/.test(text) || window < minimum) {
    throw new UsageError(`--window must be a whole number of at least ${minimum}, got "${text}"`);
  }
  return window;
}

await runCli(async () => {
  const values = parseFlags(USAGE, {
    input: { type: "string" },
    window: { type: "string" },
    ...STRATEGY_FLAGS,
  });
  if (!values) return 0;
  if (!values.input) throw new UsageError(`--input is required\n${USAGE}`);
  const [strategy] = strategiesFromFlags(values);
  if (!strategy) return 2;
  const window = parseWindow(values.window, strategy.minimumCandles);
  const { candles, series } = await readCandlesFile(values.input);
  // The same rule as npm run backtest's: a missing row (a gap) is refused, naming it.
  checkNoGaps(candles, values.input);
  if (series.length < window) {
    throw new InvalidCandlesError(
      `${values.input} has ${series.length} candles, fewer than the window of ${window}`,
    );
  }
  const lines: string[] = [];
  for (let last = window - 1; last < series.length; last++) {
    const openTime = series.openTime[last] as number;
    lines.push(strategy.line(openTime, strategy.evaluate(series, last, window)));
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
});
