import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { Decimal } from "../../domain/money/decimal.ts";
import { dec } from "../../domain/money/decimal.ts";
import type { ConfiguredStrategy } from "../../domain/strategies/strategy.ts";
import type { RiskSettings } from "../../domain/trading/risk-settings.ts";
import { DEFAULT_TRADING_RULES, type TradingRules } from "../../domain/trading/trading-rules.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-on-conflict.ts";

/** Settings of the trading cycle, the same wherever it runs. */
export interface CycleConfig {
  readonly defaultAccountId: string;
  readonly initialBalance: Decimal;
  readonly rules: TradingRules;
  /** The strategy, its parameters checked (from the registry). */
  readonly strategy: ConfiguredStrategy;
  /** Closed candles per evaluation. */
  readonly window: number;
  readonly retry: RetryPolicy;
  /** The asset an account holds its cash in; symbols quoted in another are refused. */
  readonly quoteAsset: string;
  /** How late a live event may arrive after its candle closed, beyond one interval (Lambda's event age). */
  readonly maxEventDelayMs: number;
  /** What the schedule runs live: each pair with its strategy, account and mode; undefined: anything (a backtest). */
  readonly watchlist: readonly WatchEntry[] | undefined;
  /** A strategy by name with parameters, for a dry run that names one (the registry's, from the adapters). */
  readonly resolveStrategy?: (
    name: string,
    params: Readonly<Record<string, string | number>>,
  ) => ConfiguredStrategy;
}

/** One scheduled (symbol, timeframe) with its strategy, the account it trades, and its mode. */
export interface WatchEntry {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly strategy: ConfiguredStrategy;
  /** The account it trades (alert-only entries: SIGNALS_ACCOUNT, whose outbox holds their alerts). */
  readonly accountId: string;
  /** "signals": alert-only, one signal alert per BUY/SELL candle, no account touched. */
  readonly mode: "trade" | "signals";
  /** Its own risk settings, instead of the configuration's (rules.risk). */
  readonly risk?: RiskSettings | undefined;
}

/**
 * The cycle configuration's defaults but the strategy (shared/adapters/config/default-cycle-config.ts
 * adds the default strategy): the one definition of each; tradingBot's defaults (SETTINGS) are derived from it.
 */
export const CYCLE_CONFIG_DEFAULTS: Omit<CycleConfig, "strategy"> = Object.freeze({
  defaultAccountId: "paper",
  initialBalance: dec("10000"),
  rules: DEFAULT_TRADING_RULES,
  // The window the live system and the reference use (a strategy needing more asks for it: candleCount).
  window: 300,
  retry: DEFAULT_RETRY_POLICY,
  quoteAsset: "USDT",
  maxEventDelayMs: 2 * 3_600_000,
  watchlist: undefined,
});
