import type { CycleConfig } from "../../shared/application/cycle/index.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { parseRiskSettings } from "../../shared/domain/trading/risk-config.ts";
import { UsageError } from "../cli-errors.ts";

/** A UTC date or ISO time; a bare date given to --to means the whole of that day. */
export function parseTime(flag: "--from" | "--to", text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const time = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(time)) throw new UsageError(`${flag} must be a date such as 2025-01-01, got "${text}"`);
  return dateOnly && flag === "--to" ? time + 86_400_000 - 1 : time;
}

export function withOverrides(
  config: CycleConfig,
  flags: Record<string, string | boolean | string[] | undefined>,
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
  let risk: ReturnType<typeof parseRiskSettings> | undefined;
  try {
    risk = flags.risk === undefined ? undefined : parseRiskSettings(String(flags.risk), "--risk");
  } catch (error) {
    throw new UsageError((error as Error).message); // a flag's value: a usage mistake (exit 2)
  }
  return {
    ...config,
    defaultAccountId: "backtest",
    // A replay of one pair with the strategy it is given: no schedule to check against.
    watchlist: undefined,
    initialBalance: decimal("initial-balance") ?? config.initialBalance,
    rules: {
      ...config.rules,
      feeRate: decimal("fee-rate") ?? config.rules.feeRate,
      maxOpenPositions: maxPositions ?? config.rules.maxOpenPositions,
      ...(stake ? { stakeFractions: { ...config.rules.stakeFractions, [timeframe]: stake } } : {}),
      ...(risk ? { risk } : {}),
    },
  };
}
