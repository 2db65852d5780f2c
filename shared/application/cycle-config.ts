import type { Decimal } from "../domain/money/decimal.ts";
import { dec } from "../domain/money/decimal.ts";
import { DEFAULT_WINDOW } from "../domain/strategy/strategy-params.ts";
import { DEFAULT_TRADING_RULES, type TradingRules } from "../domain/trading/trading-rules.ts";
import type { ConfiguredStrategy } from "./ports/strategy.ts";
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
  /** The pairs ("BNBUSDT 4h") that may trade live; undefined: any (a backtest replays one pair). */
  readonly scheduledPairs: ReadonlySet<string> | undefined;
}

/** Every setting but the strategy, at its default (adapters/strategies adds the default strategy). */
export const DEFAULT_CYCLE_SETTINGS: Omit<CycleConfig, "strategy"> = Object.freeze({
  defaultAccountId: "paper",
  initialBalance: dec("10000"),
  rules: DEFAULT_TRADING_RULES,
  window: DEFAULT_WINDOW,
  retry: DEFAULT_RETRY_POLICY,
  quoteAsset: "USDT",
  maxEventDelayMs: 2 * 3_600_000,
  scheduledPairs: undefined,
});
