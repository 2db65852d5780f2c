export type Action = "BUY" | "SELL" | "HOLD";
export type Trend = "UPTREND" | "DOWNTREND" | "LATERAL" | "UNKNOWN";

export type Confirmation =
  | "RSI_BULLISH_DIVERGENCE"
  | "RSI_BEARISH_DIVERGENCE"
  | "VOLUME_SPIKE"
  | "BULLISH_ENGULFING"
  | "BEARISH_ENGULFING"
  | "HAMMER"
  | "SHOOTING_STAR";

/** The ratios reported in `levels`, keyed as the reference prints them. */
export const LEVEL_RATIOS = ["0.236", "0.382", "0.500", "0.618", "0.786", "1.000", "1.618", "2.618"] as const;
export type LevelKey = (typeof LEVEL_RATIOS)[number];

export interface FibonacciLevels {
  /** The swing high and swing low the levels are drawn from. */
  readonly high: number;
  readonly low: number;
  readonly ratios: Readonly<Record<LevelKey, number>>;
}

/** Prices a BUY or SELL carries. */
export interface TradePlan {
  readonly entry: number;
  readonly stopLoss: number;
  readonly takeProfit1: number;
  readonly takeProfit2: number;
}

export interface Signal {
  readonly action: Action;
  readonly trend: Trend;
  /** Why the action is what it is, for people reading logs and alerts. */
  readonly reason: string;
  /** Close of the window's last candle. */
  readonly price: number;
  /** Present once swing points exist and the levels could be computed. */
  readonly levels?: FibonacciLevels;
  /** Present when the price is inside the golden zone (for BUY/SELL: only those agreeing with the trend). */
  readonly confirmations?: readonly Confirmation[];
  /** Present for BUY and SELL. */
  readonly plan?: TradePlan;
}
