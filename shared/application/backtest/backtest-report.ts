import type { Trade } from "../../domain/account/account.ts";
import {
  cagr,
  dailyReturns,
  type EquityPoint,
  maxDrawdown,
  monthlyReturns,
  sharpeRatio,
  sortinoRatio,
} from "../../domain/backtest/performance.ts";
import { roundTrips } from "../../domain/backtest/round-trips.ts";
import { tradeStats } from "../../domain/backtest/trade-stats.ts";
import { isTimeframe, type Timeframe, timeframeMs } from "../../domain/market/timeframe.ts";
import { type Decimal, dec, ZERO } from "../../domain/money/decimal.ts";

export interface ReportInput {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly initialBalance: Decimal;
  /** The ledger, oldest first. */
  readonly trades: readonly Trade[];
  /** Equity at each cycle's close, the first point being the start (the initial balance). */
  readonly curve: readonly EquityPoint[];
  /** Close of the candle the backtest starts at, and of the last one: for buy and hold. */
  readonly firstClose: number;
  readonly lastClose: number;
  /** Cycles that ended with a position open, out of all cycles. */
  readonly exposedCycles: number;
  readonly cycles: number;
  /** The final equity exactly, as the last cycle computed it (decimal string). */
  readonly finalEquity?: string | undefined;
}

/** Every fill of a ledger (oldest first), at its candle's close, with the pair's position after it. */
export function fillsOf(trades: readonly Trade[], timeframe: string) {
  const interval = isTimeframe(timeframe) ? timeframeMs(timeframe) : 0;
  const held = new Map<string, Decimal>();
  return trades.map((t) => {
    const pair = `${t.symbol} ${t.timeframe}`;
    const after = (held.get(pair) ?? ZERO)[t.side === "BUY" ? "plus" : "minus"](t.quantity);
    held.set(pair, after);
    return {
      time: new Date(t.candleTime + interval).toISOString(),
      symbol: t.symbol,
      side: t.side,
      reason: t.reason,
      price: t.price.toFixed(),
      quantity: t.quantity.toFixed(),
      quoteAmount: t.quoteAmount.toFixed(),
      fee: t.fee.toFixed(),
      /** Exits only: (price − entry) × quantity − this fill's fee (the round trip's PnL also takes the entry fee). */
      realizedPnl: t.realizedPnl?.toFixed() ?? null,
      positionAfter: after.toFixed(),
    };
  });
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const pct = (fraction: number) => Math.round(fraction * 1e6) / 1e4;
const round = (value: number | null, places = 4) =>
  value === null ? null : Math.round(value * 10 ** places) / 10 ** places;

/** The backtest's figures, JSON-friendly: money as exact strings, ratios as numbers (percent where named so). */
export function buildReport(input: ReportInput) {
  const trips = roundTrips(input.trades);
  const closed = trips.filter((t) => t.exitTime !== undefined);
  const wins = closed.filter((t) => t.pnl.gt(0));
  const losses = closed.filter((t) => t.pnl.lte(0));
  const sum = (xs: readonly { pnl: Decimal }[]) => xs.reduce((s, t) => s.plus(t.pnl), ZERO);
  const grossProfit = sum(wins);
  const grossLoss = sum(losses).abs();
  const finalEquity = input.curve.at(-1)?.equity ?? Number(input.initialBalance);
  const initial = Number(input.initialBalance);
  const drawdown = maxDrawdown(input.curve);
  const returns = dailyReturns(input.curve);
  const growth = cagr(input.curve);
  const stats = tradeStats(closed, returns);
  const hours = (ms: number | null) => (ms === null ? null : round(ms / 3_600_000, 1));
  const interval = isTimeframe(input.timeframe) ? timeframeMs(input.timeframe) : 0;
  const reasons = new Map<string, { count: number; pnl: Decimal }>();
  for (const trade of input.trades) {
    if (trade.side !== "SELL") continue;
    const entry = reasons.get(trade.reason) ?? { count: 0, pnl: ZERO };
    reasons.set(trade.reason, { count: entry.count + 1, pnl: entry.pnl.plus(trade.realizedPnl ?? ZERO) });
  }
  return {
    symbol: input.symbol,
    timeframe: input.timeframe,
    from: iso(input.curve[0]?.time),
    to: iso(input.curve.at(-1)?.time),
    cycles: input.cycles,
    initialBalance: input.initialBalance.toFixed(),
    finalEquity: input.finalEquity ?? finalEquity.toFixed(8),
    totalReturnPct: pct(finalEquity / initial - 1),
    buyAndHoldReturnPct: pct(input.lastClose / input.firstClose - 1),
    trades: closed.length,
    openTrades: trips.length - closed.length,
    wins: wins.length,
    losses: losses.length,
    winRatePct: closed.length ? pct(wins.length / closed.length) : null,
    profitFactor: grossLoss.gt(0) ? round(Number(grossProfit.div(grossLoss))) : null,
    averageWin: wins.length ? grossProfit.div(wins.length).toFixed(8) : null,
    averageLoss: losses.length ? sum(losses).div(losses.length).toFixed(8) : null,
    netPnl: dec(input.finalEquity ?? finalEquity.toFixed(8))
      .minus(input.initialBalance)
      .toFixed(),
    feesPaid: input.trades.reduce((sum, t) => sum.plus(t.fee), ZERO).toFixed(),
    cagrPct: growth === null ? null : pct(growth),
    calmar: growth !== null && drawdown.fraction > 0 ? round(growth / drawdown.fraction) : null,
    /** Average PnL (after every fee) of a closed round trip. */
    expectancy: closed.length ? sum(closed).div(closed.length).toFixed(8) : null,
    averageTradeHours: closed.length
      ? round(
          closed.reduce((h, t) => h + ((t.exitTime ?? t.entryTime) - t.entryTime) / 3_600_000, 0) /
            closed.length,
          1,
        )
      : null,
    bestTradePnl: stats.best?.pnl.toFixed() ?? null,
    worstTradePnl: stats.worst?.pnl.toFixed() ?? null,
    /** Mean hours from entry to last exit of the winning, and of the losing, trades. */
    averageWinnerHours: hours(stats.winnerMs),
    averageLoserHours: hours(stats.loserMs),
    maxConsecutiveWins: stats.maxConsecutiveWins,
    maxConsecutiveLosses: stats.maxConsecutiveLosses,
    daysWon: stats.daysWon,
    daysDrawn: stats.daysDrawn,
    daysLost: stats.daysLost,
    maxDrawdownPct: pct(drawdown.fraction),
    maxDrawdownDays:
      drawdown.peakTime === undefined || drawdown.troughTime === undefined
        ? 0
        : round((drawdown.troughTime - drawdown.peakTime) / 86_400_000, 1),
    monthlyReturns: monthlyReturns(input.curve),
    maxDrawdownPeak: iso(drawdown.peakTime),
    maxDrawdownTrough: iso(drawdown.troughTime),
    sharpe: round(sharpeRatio(returns)),
    sortino: round(sortinoRatio(returns)),
    timeInMarketPct: input.cycles ? pct(input.exposedCycles / input.cycles) : 0,
    exitReasons: [...reasons.entries()].map(([reason, r]) => ({
      reason,
      count: r.count,
      pnl: r.pnl.toFixed(),
    })),
    fills: fillsOf(input.trades, input.timeframe),
    // Times are the fills' (their candle's close), as everywhere people read them.
    roundTrips: trips.map((t) => ({
      symbol: t.symbol,
      timeframe: t.timeframe,
      entryTime: iso(t.entryTime + interval),
      exitTime: iso(t.exitTime === undefined ? undefined : t.exitTime + interval),
      quantity: t.quantity.toFixed(),
      entryPrice: t.entryPrice.toFixed(),
      exitPrice: t.exitPrice?.toFixed(8) ?? null,
      fees: t.fees.toFixed(),
      pnl: t.pnl.toFixed(),
      exitReasons: t.exitReasons,
    })),
  };
}

export type BacktestReport = ReturnType<typeof buildReport>;
