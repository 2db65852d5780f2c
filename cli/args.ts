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
    throw new UsageError(flagMistake((error as Error).message, Object.keys(options)));
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

/** Edits between two words (Levenshtein), for a did-you-mean. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length] as number;
}

/** The known flag closest to `given`, when it is close (a typo, a missing dash). */
function closestFlag(given: string, known: readonly string[]): string | undefined {
  const name = given.replace(/^-+/, "").split("=")[0] ?? "";
  let best: { flag: string; d: number } | undefined;
  for (const flag of [...known, "help"]) {
    const d = distance(name.toLowerCase(), flag);
    if (!best || d < best.d) best = { flag, d };
  }
  return best && best.d <= Math.max(1, Math.floor(best.flag.length / 3)) ? `--${best.flag}` : undefined;
}

/**
 * Node's parseArgs message as one line for people: what was wrong, a did-you-mean where one is
 * close, and where the usage is (the whole usage would scroll the useful line away).
 */
function flagMistake(message: string, known: readonly string[]): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) {
    const flag = unknown[1] as string;
    const close = closestFlag(flag, known);
    return `unknown option ${flag}${close ? ` (did you mean ${close}?)` : ""}; see --help`;
  }
  const missing = /^Option '(--[a-z-]+)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(message);
  if (missing)
    return `${missing[1]} needs a value, e.g. ${missing[1]} <value> (a value starting with "-" as ${missing[1]}=-1); see --help`;
  const noValue = /^Option '(--[a-z-]+)' does not take an argument/.exec(message);
  if (noValue) return `${noValue[1]} takes no value; see --help`;
  const stray = /^Unexpected argument '([^']*)'/.exec(message);
  if (stray)
    return `unexpected word "${stray[1]?.slice(0, 40)}": every value follows its flag (--name value); see --help`;
  return `${message.split("\n")[0]}; see --help`;
}
