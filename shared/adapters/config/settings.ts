import { ACCOUNT_ID, CYCLE_CONFIG_DEFAULTS, type CycleConfig } from "../../application/cycle/index.ts";
import { ConfigurationError } from "../../domain/errors.ts";
import { isTimeframe, type Timeframe } from "../../domain/market/timeframe.ts";
import { type Decimal, dec } from "../../domain/money/decimal.ts";
import type { Basket } from "../../domain/rebalance/basket.ts";
import { strategyNamed } from "../../domain/strategies/registry.ts";
import { parseRiskSettings } from "../../domain/trading/risk-config.ts";
import type { RiskSettings } from "../../domain/trading/risk-settings.ts";
import { DEFAULT_TRADING_RULES } from "../../domain/trading/trading-rules.ts";
import { DEFAULT_BINANCE_BASE_URL } from "../binance/binance-http.ts";
import { checkAccountProtections } from "./account-risk.ts";
import { type AlertSettings, parseAlertSettings } from "./alert-channels.ts";
import { DEFAULT_CYCLE_CONFIG } from "./default-cycle-config.ts";
import { parseRebalancing } from "./rebalancing.ts";
import { parseWatchlist, type WatchedPair } from "./watchlist.ts";

/** The stack's name unless `-c stackName=…` names another; the metrics' namespace too by default. */
export const DEFAULT_STACK_NAME = "FibonacciPaperTrader";

/** EventBridge rules an event bus takes by AWS's default quota (the default of ruleQuota). */
export const AWS_RULE_QUOTA = 300;

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

type Read<T> = (value: unknown, at: string) => T;

const decimal =
  (min: number, max?: number, minIncluded = false): Read<Decimal> =>
  (value, at) => {
    let parsed: Decimal;
    try {
      parsed = dec(String(value));
    } catch {
      throw new ConfigurationError(`${at} must be a decimal number, got ${JSON.stringify(value)}`);
    }
    if ((minIncluded ? parsed.lt(min) : parsed.lte(min)) || (max !== undefined && parsed.gt(max)))
      throw new ConfigurationError(
        `${at} must be ${minIncluded ? "at least" : "above"} ${min}${max === undefined ? "" : ` and at most ${max}`}, got ${JSON.stringify(value)}`,
      );
    return parsed;
  };
const whole =
  (min: number, allowed?: readonly number[]): Read<number> =>
  (value, at) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || (typeof value !== "number" && !/^\d+$/.test(String(value))))
      throw new ConfigurationError(
        `${at} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`,
      );
    if (allowed && !allowed.includes(n))
      throw new ConfigurationError(
        `${at} must be one of ${allowed.join(", ")} (what CloudWatch Logs accepts), got ${n}`,
      );
    return n;
  };
const text =
  (pattern: RegExp, what: string): Read<string> =>
  (value, at) => {
    if (typeof value !== "string" || !pattern.test(value))
      throw new ConfigurationError(`${at} must be ${what}, got ${JSON.stringify(value)}`);
    return value;
  };
const stakes: Read<Partial<Record<Timeframe, Decimal>>> = (value, at) => {
  const parsed = typeof value === "string" ? safeJson(value, at) : value;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new ConfigurationError(`${at} must be an object such as {"4h": "0.1"}`);
  const out: Partial<Record<Timeframe, Decimal>> = {};
  for (const [timeframe, fraction] of Object.entries(parsed)) {
    if (!isTimeframe(timeframe)) throw new ConfigurationError(`${at}: unknown timeframe "${timeframe}"`);
    out[timeframe] = decimal(0, 1)(fraction, `${at}.${timeframe}`);
  }
  return out;
};

function safeJson(textValue: string, at: string): unknown {
  try {
    return JSON.parse(textValue);
  } catch {
    throw new ConfigurationError(`${at} is not JSON: ${textValue.slice(0, 40)}`);
  }
}

/**
 * Every setting of `tradingBot`, declared once: what it means, its default, how it is checked.
 * The CDK app, the function (which gets them as one JSON variable, TRADING_BOT), the local runner
 * and the backtest all read them through parseSettings.
 */
export const SETTINGS = {
  watchlist: {
    doc: "the pairs, each with its strategy, params, account and mode",
    default: [{ symbol: "BNBUSDT", timeframes: ["1h", "4h", "1d"] }],
  },
  rebalancing: {
    doc: "accounts that hold a basket of symbols at target weights and rebalance it (docs/rebalancing.md)",
    default: [],
  },
  accountId: {
    doc: "the paper account of entries that name none",
    default: CYCLE_CONFIG_DEFAULTS.defaultAccountId,
    read: text(ACCOUNT_ID, '1-64 letters, digits, "-" or "_"'),
  },
  initialBalance: {
    doc: "quote asset a new account starts with",
    default: CYCLE_CONFIG_DEFAULTS.initialBalance.toFixed(),
    read: decimal(0),
  },
  feeRate: {
    doc: "fee per fill, a fraction of its notional",
    default: DEFAULT_TRADING_RULES.feeRate.toFixed(),
    read: decimal(0, 0.1, true),
  },
  maxOpenPositions: {
    doc: "open positions per account, all pairs together",
    default: DEFAULT_TRADING_RULES.maxOpenPositions,
    read: whole(1),
  },
  stakeFractions: {
    doc: `share of equity per entry, per timeframe (others ${DEFAULT_TRADING_RULES.defaultStakeFraction.toFixed()})`,
    default: Object.fromEntries(
      Object.entries(DEFAULT_TRADING_RULES.stakeFractions).map(([tf, f]) => [tf, f.toFixed()]),
    ) as Readonly<Record<string, string>>,
    read: stakes,
  },
  risk: {
    doc: "protections, trailing stop, risk-based sizing and slippage of every account (a watchlist entry's risk replaces it for its pairs; docs/risk.md)",
    default: {},
    read: (value: unknown, at: string) => parseRiskSettings(value, at),
  },
  alertEmail: {
    doc: "an e-mail address subscribed to alerts and alarms (null: none)",
    default: null,
    read: text(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an e-mail address"),
  },
  alerts: {
    doc: "alert channels (Telegram, Discord, Slack, webhook, e-mail) and the daily digest's UTC hour",
    default: { channels: [], digestHourUtc: null },
    read: (value: unknown, at: string) => parseAlertSettings(value, at),
  },
  binanceBaseUrl: {
    doc: "Binance's REST host (BINANCE_BASE_URL overrides it)",
    default: DEFAULT_BINANCE_BASE_URL,
    read: text(/^https?:\/\//, "an http(s) URL"),
  },
  metricsNamespace: {
    doc: "CloudWatch namespace of the metrics",
    default: DEFAULT_STACK_NAME,
    read: text(/^[A-Za-z0-9_./#:-]{1,255}$/, "a CloudWatch namespace"),
  },
  logRetentionDays: {
    doc: "days the function's logs are kept",
    default: 30,
    read: whole(1, LOG_RETENTION_DAYS),
  },
  ruleQuota: {
    doc: "EventBridge rules this stack may create on the default event bus (AWS's default quota: 300; 5 pairs a rule)",
    default: AWS_RULE_QUOTA,
    read: whole(1),
  },
  cycleRetentionDays: {
    doc: "days cycle records are kept (TTL), from when written",
    default: 90,
    read: whole(1),
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
const KEYS = Object.keys(SETTINGS) as SettingKey[];

export interface Settings {
  readonly pairs: readonly WatchedPair[];
  /** The rebalancing accounts (tradingBot.rebalancing). */
  readonly rebalancing: readonly Basket[];
  readonly accountId: string;
  readonly initialBalance: Decimal;
  readonly feeRate: Decimal;
  readonly maxOpenPositions: number;
  readonly stakeFractions: Partial<Record<Timeframe, Decimal>>;
  readonly risk: RiskSettings;
  readonly alertEmail: string | undefined;
  readonly alerts: AlertSettings;
  readonly binanceBaseUrl: string;
  readonly metricsNamespace: string;
  readonly logRetentionDays: number;
  readonly cycleRetentionDays: number;
  readonly ruleQuota: number;
  /** The settings as given, defaults filled in: what the function's TRADING_BOT carries. */
  readonly raw: Readonly<Record<SettingKey, unknown>>;
}

/**
 * Validates `tradingBot` (with per-key overrides, e.g. `cdk synth -c feeRate=0.002`). `where` is
 * how the object is called where it came from ("tradingBot", "TRADING_BOT"); every error names
 * the key.
 */
export function parseSettings(
  given: Record<string, unknown>,
  where = "tradingBot",
  overrides: Record<string, unknown> = {},
): Settings {
  const raw: Record<string, unknown> = { ...given };
  for (const key of KEYS) if (overrides[key] !== undefined) raw[key] = overrides[key];
  const unknown = Object.keys(raw).filter((k) => !(KEYS as string[]).includes(k));
  if (unknown.length > 0)
    throw new ConfigurationError(
      `unknown key(s) in ${where}: ${unknown.join(", ")}; known: ${KEYS.join(", ")}`,
    );
  const value = <K extends SettingKey>(key: K): unknown =>
    raw[key] === undefined ? SETTINGS[key].default : raw[key];
  const read = <T>(key: Exclude<SettingKey, "watchlist" | "rebalancing">, parse: Read<T>): T =>
    parse(value(key), `${where}.${key}`);
  const accountId = read("accountId", SETTINGS.accountId.read);
  const email = value("alertEmail");
  const watchlist = value("watchlist");
  const base: Omit<Settings, "rebalancing"> = {
    accountId,
    pairs: parseWatchlist(
      typeof watchlist === "string" ? safeJson(watchlist, `${where}.watchlist`) : watchlist,
      accountId,
      `${where}.watchlist`,
    ),
    initialBalance: read("initialBalance", SETTINGS.initialBalance.read),
    feeRate: read("feeRate", SETTINGS.feeRate.read),
    maxOpenPositions: read("maxOpenPositions", SETTINGS.maxOpenPositions.read),
    stakeFractions: read("stakeFractions", SETTINGS.stakeFractions.read),
    risk: read("risk", SETTINGS.risk.read),
    alertEmail:
      email === null || email === "" ? undefined : SETTINGS.alertEmail.read(email, `${where}.alertEmail`),
    alerts: read("alerts", SETTINGS.alerts.read),
    binanceBaseUrl: read("binanceBaseUrl", SETTINGS.binanceBaseUrl.read),
    metricsNamespace: read("metricsNamespace", SETTINGS.metricsNamespace.read),
    logRetentionDays: read("logRetentionDays", SETTINGS.logRetentionDays.read),
    cycleRetentionDays: read("cycleRetentionDays", SETTINGS.cycleRetentionDays.read),
    ruleQuota: read("ruleQuota", SETTINGS.ruleQuota.read),
    raw: Object.fromEntries(KEYS.map((k) => [k, value(k)])) as Record<SettingKey, unknown>,
  };
  const rebalancing = value("rebalancing");
  const settings: Settings = {
    ...base,
    rebalancing: parseRebalancing(
      typeof rebalancing === "string" ? safeJson(rebalancing, `${where}.rebalancing`) : rebalancing,
      `${where}.rebalancing`,
      {
        initialBalance: base.initialBalance,
        feeRate: base.feeRate,
        slippageBps: base.risk.slippageBps,
        quoteAsset: CYCLE_CONFIG_DEFAULTS.quoteAsset,
        minNotional: DEFAULT_TRADING_RULES.minNotional,
        tradingAccounts: new Set(base.pairs.filter((p) => p.mode === "trade").map((p) => p.accountId)),
      },
    ),
  };
  checkAccountProtections(settings, where);
  const twice = settings.alerts.channels.findIndex(
    (c) => c.address !== undefined && c.address.toLowerCase() === settings.alertEmail?.toLowerCase(),
  );
  if (twice >= 0)
    throw new ConfigurationError(
      `${where}.alerts.channels[${twice}] is ${settings.alertEmail}, which ${where}.alertEmail already subscribes to every alert and alarm: remove the channel, or alertEmail to keep the channel's events`,
    );
  return settings;
}

/** The cycle's configuration from the settings: risk rules, the watchlist, the registry for dry runs. */
export function cycleConfigOf(settings: Settings): CycleConfig {
  return {
    ...DEFAULT_CYCLE_CONFIG,
    defaultAccountId: settings.accountId,
    initialBalance: settings.initialBalance,
    rules: {
      ...DEFAULT_TRADING_RULES,
      feeRate: settings.feeRate,
      maxOpenPositions: settings.maxOpenPositions,
      // The map as configured (its default is the schema's): a timeframe it leaves out stakes the default fraction.
      stakeFractions: settings.stakeFractions,
      risk: settings.risk,
    },
    watchlist: settings.pairs,
    resolveStrategy: (name, params) => strategyNamed(name, params, "the event's"),
  };
}

/** The settings from the function's environment: TRADING_BOT, as the CDK app wrote it. */
export function settingsFromEnv(env: Record<string, string | undefined>): Settings {
  const textValue = env.TRADING_BOT;
  if (!textValue) throw new ConfigurationError("the environment variable TRADING_BOT is not set");
  const parsed = safeJson(textValue, "TRADING_BOT");
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new ConfigurationError("TRADING_BOT must be a JSON object");
  return parseSettings(parsed as Record<string, unknown>, "TRADING_BOT");
}

export function requiredEnv(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigurationError(`the environment variable ${name} is not set`);
  return value;
}
