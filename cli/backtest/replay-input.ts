import { requireSymbol, requireTimeframe } from "../args.ts";
import { UsageError } from "../cli-errors.ts";
import { readLocalConfig } from "../local/local-config.ts";
import { localPaths } from "../local/local-flags.ts";
import { tradedCandles } from "./backtest-data.ts";
import { parseTime, withOverrides } from "./backtest-options.ts";

/** The flags of a replay's candles and rules, shared by `npm run backtest` and `npm run optimize`. */
export const REPLAY_FLAGS = {
  symbol: { type: "string" },
  timeframe: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  csv: { type: "string" },
  tick: { type: "string" },
  step: { type: "string" },
  "min-notional": { type: "string" },
  risk: { type: "string" },
  "initial-balance": { type: "string" },
  "fee-rate": { type: "string" },
  "max-positions": { type: "string" },
  stake: { type: "string" },
  config: { type: "string" },
  "data-dir": { type: "string" },
} as const;

type ReplayFlags = { [K in keyof typeof REPLAY_FLAGS]?: string | undefined };

/** The pair, the period, the configuration with the flags' overrides, and where data lives. */
export function replaySettings(flags: ReplayFlags) {
  const symbol = requireSymbol(flags.symbol);
  const timeframe = requireTimeframe(flags.timeframe);
  const from = parseTime("--from", flags.from);
  const to = parseTime("--to", flags.to);
  if (from !== undefined && to !== undefined && from > to)
    throw new UsageError(`--from (${flags.from}) is after --to (${flags.to})`);
  const { configFile, dataDir } = localPaths(flags);
  const local = readLocalConfig(configFile, process.env);
  const config = withOverrides(local.cycle, flags, timeframe);
  return { symbol, timeframe, from, to, dataDir, local, config };
}

/** The candles to replay and the symbol's filters (see tradedCandles). */
export function replayCandles(settings: ReturnType<typeof replaySettings>, flags: ReplayFlags) {
  const { symbol, timeframe, from, to, dataDir, local, config } = settings;
  return tradedCandles({
    symbol,
    timeframe,
    from,
    to,
    flags,
    window: config.window,
    dataDir,
    binance: local.binance,
  });
}
