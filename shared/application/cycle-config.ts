import type { Decimal } from "../domain/money/decimal.ts";
import { dec } from "../domain/money/decimal.ts";
import {
  DEFAULT_STRATEGY_PARAMS,
  DEFAULT_WINDOW,
  type StrategyParams,
} from "../domain/strategy/strategy-params.ts";
import { DEFAULT_TRADING_RULES, type TradingRules } from "../domain/trading/trading-rules.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-on-conflict.ts";

/** Settings of the trading cycle, the same wherever it runs. */
export interface CycleConfig {
  readonly defaultAccountId: string;
  readonly initialBalance: Decimal;
  readonly rules: TradingRules;
  readonly strategy: StrategyParams;
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

export const DEFAULT_CYCLE_CONFIG: CycleConfig = Object.freeze({
  defaultAccountId: "paper",
  initialBalance: dec("10000"),
  rules: DEFAULT_TRADING_RULES,
  strategy: DEFAULT_STRATEGY_PARAMS,
  window: DEFAULT_WINDOW,
  retry: DEFAULT_RETRY_POLICY,
  quoteAsset: "USDT",
  maxEventDelayMs: 2 * 3_600_000,
  scheduledPairs: undefined,
});
