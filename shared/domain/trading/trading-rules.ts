import type { Timeframe } from "../market/timeframe.ts";
import { type Decimal, dec } from "../money/decimal.ts";
import { NO_RISK_CONTROLS, type RiskSettings } from "./risk-settings.ts";

/** The paper account's risk settings. */
export interface TradingRules {
  /** Fee on every fill, as a fraction of its notional, paid in the quote asset. */
  readonly feeRate: Decimal;
  readonly maxOpenPositions: number;
  /** Stake per entry as a fraction of the account's equity, per timeframe. */
  readonly stakeFractions: Readonly<Partial<Record<Timeframe, Decimal>>>;
  /** For timeframes not listed in stakeFractions. */
  readonly defaultStakeFraction: Decimal;
  /** No entry below this notional, whatever the exchange allows. */
  readonly minNotional: Decimal;
  /** Protections, trailing stop, risk-based sizing and slippage (all off by default). */
  readonly risk: RiskSettings;
}

export const DEFAULT_TRADING_RULES: TradingRules = Object.freeze({
  feeRate: dec("0.001"),
  maxOpenPositions: 3,
  stakeFractions: { "1h": dec("0.05"), "4h": dec("0.1"), "1d": dec("0.15") },
  defaultStakeFraction: dec("0.1"),
  minNotional: dec("10"),
  risk: NO_RISK_CONTROLS,
});

export function stakeFraction(rules: TradingRules, timeframe: Timeframe): Decimal {
  return rules.stakeFractions[timeframe] ?? rules.defaultStakeFraction;
}
