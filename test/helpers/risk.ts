/**
 * Risk controls as a trader writes them (tradingBot.risk), aggressive enough that on the 4h
 * fixture with ma-distance every protection engages and a trailing stop fills.
 */
export const AGGRESSIVE_RISK = {
  slippageBps: 5,
  trailingStop: { activationPct: 2, distancePct: 1 },
  riskPerTradePct: 1,
  protections: {
    cooldownCandles: 3,
    stopLossGuard: { stops: 2, lookbackCandles: 60, pauseCandles: 30, scope: "account" },
    maxDrawdown: { pct: 1, lookbackCandles: 60, pauseCandles: 12 },
    dailyLossPct: 0.3,
  },
};
