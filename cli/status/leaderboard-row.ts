/** One account on the leaderboard (npm run status -- --leaderboard). */
export interface LeaderboardRow {
  readonly account: string;
  readonly strategies: readonly string[];
  readonly initialBalance: string;
  /** Free quote plus every position at the close of its last cycle. */
  readonly equity: string;
  readonly returnPct: number;
  readonly maxDrawdownPct: number;
  readonly trades: number;
  readonly winRatePct: number | null;
  /** Share of the equity in open positions. */
  /** Open exposure: the open positions' value ÷ the equity, % (not the backtest's time in market). */
  readonly openExposurePct: number;
  /** A rebalancing account's weights at its last rebalance's closes → their targets. */
  readonly weights?: string;
}
