import type { CycleConfig } from "../../application/cycle-config.ts";
import { ConfigurationError } from "../../domain/errors.ts";
import { isTimeframe, type Timeframe } from "../../domain/market/timeframe.ts";
import { type Decimal, dec } from "../../domain/money/decimal.ts";
import { DEFAULT_TRADING_RULES } from "../../domain/trading/trading-rules.ts";
import { DEFAULT_CYCLE_CONFIG } from "../strategies/registry.ts";

/** The risk settings as text, as they come from the environment or cdk.json. */
export interface RiskSettingsText {
  readonly accountId?: string | undefined;
  readonly initialBalance?: string | undefined;
  readonly feeRate?: string | undefined;
  readonly maxOpenPositions?: string | undefined;
  /** JSON such as {"1h":"0.05","4h":"0.1"}. */
  readonly stakeFractions?: string | undefined;
}

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;

function decimal(name: string, text: string | undefined, fallback: Decimal, max?: number): Decimal {
  if (text === undefined || text === "") return fallback;
  let value: Decimal;
  try {
    value = dec(text);
  } catch {
    throw new ConfigurationError(`${name} must be a decimal number, got "${text}"`);
  }
  if (value.lt(0) || (max !== undefined && value.gt(max))) {
    throw new ConfigurationError(`${name} must be between 0 and ${max ?? "any amount"}, got "${text}"`);
  }
  return value;
}

/**
 * Validates the account and risk settings; `names` says what each is called where it came
 * from (an environment variable, a cdk.json key) so that errors name it.
 */
export function cycleConfigFrom(
  text: RiskSettingsText,
  names: Record<keyof RiskSettingsText, string>,
): CycleConfig {
  const accountId = text.accountId || DEFAULT_CYCLE_CONFIG.defaultAccountId;
  if (!ACCOUNT_ID.test(accountId))
    throw new ConfigurationError(
      `${names.accountId} must be 1-64 letters, digits, "-" or "_", got "${accountId}"`,
    );
  const initialBalance = decimal(
    names.initialBalance,
    text.initialBalance,
    DEFAULT_CYCLE_CONFIG.initialBalance,
  );
  if (initialBalance.lte(0)) throw new ConfigurationError(`${names.initialBalance} must be above 0`);
  const feeRate = decimal(names.feeRate, text.feeRate, DEFAULT_TRADING_RULES.feeRate, 0.1);
  let maxOpenPositions = DEFAULT_TRADING_RULES.maxOpenPositions;
  if (text.maxOpenPositions) {
    maxOpenPositions = Number(text.maxOpenPositions);
    if (!/^\d+$/.test(text.maxOpenPositions) || maxOpenPositions < 1) {
      throw new ConfigurationError(
        `${names.maxOpenPositions} must be a whole number of at least 1, got "${text.maxOpenPositions}"`,
      );
    }
  }
  let stakeFractions = DEFAULT_TRADING_RULES.stakeFractions;
  if (text.stakeFractions) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.stakeFractions);
    } catch {
      throw new ConfigurationError(
        `${names.stakeFractions} must be JSON such as {"4h":"0.1"}, got ${text.stakeFractions}`,
      );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ConfigurationError(`${names.stakeFractions} must be a JSON object such as {"4h":"0.1"}`);
    }
    const fractions: Partial<Record<Timeframe, Decimal>> = {};
    for (const [timeframe, value] of Object.entries(parsed)) {
      if (!isTimeframe(timeframe))
        throw new ConfigurationError(`${names.stakeFractions}: unknown timeframe "${timeframe}"`);
      fractions[timeframe] = decimal(`${names.stakeFractions}.${timeframe}`, String(value), dec(0), 1);
    }
    stakeFractions = { ...DEFAULT_TRADING_RULES.stakeFractions, ...fractions };
  }
  return {
    ...DEFAULT_CYCLE_CONFIG,
    defaultAccountId: accountId,
    initialBalance,
    rules: { ...DEFAULT_TRADING_RULES, feeRate, maxOpenPositions, stakeFractions },
  };
}

export const ENV_NAMES = {
  accountId: "ACCOUNT_ID",
  initialBalance: "INITIAL_BALANCE",
  feeRate: "FEE_RATE",
  maxOpenPositions: "MAX_OPEN_POSITIONS",
  stakeFractions: "STAKE_FRACTIONS",
} as const;

export function cycleConfigFromEnv(env: Record<string, string | undefined>): CycleConfig {
  return cycleConfigFrom(
    {
      accountId: env.ACCOUNT_ID,
      initialBalance: env.INITIAL_BALANCE,
      feeRate: env.FEE_RATE,
      maxOpenPositions: env.MAX_OPEN_POSITIONS,
      stakeFractions: env.STAKE_FRACTIONS,
    },
    ENV_NAMES,
  );
}

export function requiredEnv(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigurationError(`the environment variable ${name} is not set`);
  return value;
}
