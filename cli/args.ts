import { type ParseArgsConfig, parseArgs } from "node:util";
import {
  isTimeframe,
  SYMBOL_PATTERN,
  TIMEFRAMES,
  type Timeframe,
} from "../shared/domain/market/timeframe.ts";
import { UsageError } from "./cli-errors.ts";
import { alignHelp } from "./help-text.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses a command's flags strictly (unknown flags and stray words are refused) and adds
 * --help. Returns undefined after printing the usage for --help.
 */
export function parseFlags<const T extends Options>(usage: string, options: T, argv = process.argv.slice(2)) {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    process.stdout.write(`${alignHelp(usage)}\n`);
    return undefined;
  }
  return values as {
    [K in keyof T]?: T[K]["type"] extends "boolean"
      ? boolean
      : T[K] extends { multiple: true }
        ? string[]
        : string;
  };
}

/** The cycle event of --symbol, --timeframe, --account and --dry-run, as the schedule and a manual invoke send it. */
export function cycleEventOf(flags: {
  symbol?: string;
  timeframe?: string;
  account?: string;
  "dry-run"?: boolean;
}) {
  return {
    symbol: requireSymbol(flags.symbol),
    timeframe: requireTimeframe(flags.timeframe),
    ...(flags.account ? { accountId: flags.account } : {}),
    ...(flags["dry-run"] ? { dryRun: true } : {}),
  };
}

export function requireSymbol(value: string | undefined): string {
  if (!value) throw new UsageError("--symbol is required, e.g. --symbol BNBUSDT");
  if (!SYMBOL_PATTERN.test(value))
    throw new UsageError(`--symbol must be a Binance symbol in capitals such as BNBUSDT, got "${value}"`);
  return value;
}

export function requireTimeframe(value: string | undefined): Timeframe {
  if (!value) throw new UsageError("--timeframe is required, e.g. --timeframe 4h");
  if (!isTimeframe(value))
    throw new UsageError(`--timeframe must be one of ${TIMEFRAMES.join(", ")}, got "${value}"`);
  return value;
}
