import { ConfigurationError } from "../../domain/errors.ts";
import { cycleConfigFrom } from "./risk-settings.ts";
import { parseWatchlist, type WatchedPair } from "./watchlist.ts";

export type { WatchedPair } from "./watchlist.ts";

/** What cdk.json's "tradingBot" context says, validated: the CDK app and the local runner share it. */
export interface DeploymentConfig {
  readonly pairs: readonly WatchedPair[];
  readonly accountId: string;
  readonly initialBalance: string;
  readonly feeRate: string;
  readonly maxOpenPositions: string;
  readonly stakeFractions: string;
  readonly alertEmail: string | undefined;
  readonly binanceBaseUrl: string;
  readonly metricsNamespace: string;
  readonly logRetentionDays: number;
  readonly cycleRetentionDays: number;
}

const KEYS = [
  "watchlist",
  "accountId",
  "initialBalance",
  "feeRate",
  "maxOpenPositions",
  "stakeFractions",
  "alertEmail",
  "binanceBaseUrl",
  "metricsNamespace",
  "logRetentionDays",
  "cycleRetentionDays",
];

const where = (key: string) => `tradingBot.${key}`;
const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

function wholeNumber(key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new ConfigurationError(`${where(key)} must be a whole number, got ${JSON.stringify(value)}`);
  return number;
}

function logRetention(value: unknown): number {
  const days = wholeNumber("logRetentionDays", value, 30);
  if (!LOG_RETENTION_DAYS.includes(days)) {
    throw new ConfigurationError(
      `${where("logRetentionDays")} must be one of ${LOG_RETENTION_DAYS.join(", ")} (what CloudWatch Logs accepts), got ${days}`,
    );
  }
  return days;
}

/** Reads the "tradingBot" object, each key overridable on its own (e.g. `cdk synth -c alertEmail=…`). */
export function parseDeploymentConfig(
  context: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): DeploymentConfig {
  const raw: Record<string, unknown> = { ...context };
  for (const key of KEYS) if (overrides[key] !== undefined) raw[key] = overrides[key];
  const unknown = Object.keys(raw).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0)
    throw new ConfigurationError(
      `unknown key(s) in tradingBot: ${unknown.join(", ")}; known: ${KEYS.join(", ")}`,
    );
  const watchlist = typeof raw.watchlist === "string" ? JSON.parse(raw.watchlist) : raw.watchlist;
  const stake =
    raw.stakeFractions === undefined
      ? undefined
      : typeof raw.stakeFractions === "string"
        ? raw.stakeFractions
        : JSON.stringify(raw.stakeFractions);
  // The same validation the function runs at cold start, named as cdk.json names it.
  cycleConfigFrom(
    {
      accountId: text(raw.accountId),
      initialBalance: text(raw.initialBalance),
      feeRate: text(raw.feeRate),
      maxOpenPositions: text(raw.maxOpenPositions),
      stakeFractions: stake,
    },
    {
      accountId: where("accountId"),
      initialBalance: where("initialBalance"),
      feeRate: where("feeRate"),
      maxOpenPositions: where("maxOpenPositions"),
      stakeFractions: where("stakeFractions"),
    },
  );
  const alertEmail = text(raw.alertEmail) || undefined;
  if (alertEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alertEmail)) {
    throw new ConfigurationError(`${where("alertEmail")} is not an e-mail address: "${alertEmail}"`);
  }
  return {
    pairs: parseWatchlist(watchlist, text(raw.accountId) ?? "paper"),
    accountId: text(raw.accountId) ?? "paper",
    initialBalance: text(raw.initialBalance) ?? "10000",
    feeRate: text(raw.feeRate) ?? "0.001",
    maxOpenPositions: text(raw.maxOpenPositions) ?? "3",
    stakeFractions: stake ?? "",
    alertEmail,
    binanceBaseUrl: text(raw.binanceBaseUrl) ?? "https://data-api.binance.vision",
    metricsNamespace: text(raw.metricsNamespace) ?? "FibonacciPaperTrader",
    logRetentionDays: logRetention(raw.logRetentionDays),
    cycleRetentionDays: wholeNumber("cycleRetentionDays", raw.cycleRetentionDays, 90),
  };
}
