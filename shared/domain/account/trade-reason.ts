/** Why a fill happened; stored with every fill. */
export const TRADE_REASONS = [
  "entry",
  "stop",
  "trailing-stop",
  "tp1",
  "tp2",
  "signal",
  "forced-exit",
  "rebalance",
] as const;
export type TradeReason = (typeof TRADE_REASONS)[number];
