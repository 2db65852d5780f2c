import { describe, expect, it } from "vitest";
import { buildReport } from "../../../shared/application/backtest/backtest-report.ts";
import type { Trade } from "../../../shared/domain/account/account.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";

const DAY = 86_400_000;
const day = (k: number) => Date.UTC(2025, 0, 1, 12) + k * DAY;
const fill = (
  k: number,
  side: Trade["side"],
  quantity: string,
  price: string,
  fee: string,
  reason: Trade["reason"],
  entry = "100",
): Trade => {
  const q = dec(quantity);
  const p = dec(price);
  return {
    symbol: "TESTUSDT",
    timeframe: "1d",
    side,
    baseAsset: "TEST",
    quoteAsset: "USDT",
    quantity: q,
    price: p,
    quoteAmount: q.times(p),
    fee: dec(fee),
    reason,
    candleTime: day(k),
    sequence: 0,
    ...(side === "SELL" ? { realizedPnl: p.minus(entry).times(q).minus(fee) } : {}),
  };
};

// A known win (100 → TP2 120), a known stop (100 → 90), and TP1 then break-even (2 @ 100: half at 110, half at 100).
const trades = [
  fill(1, "BUY", "1", "100", "0.1", "entry"),
  fill(2, "SELL", "1", "120", "0.12", "tp2"),
  fill(3, "BUY", "1", "100", "0.1", "entry"),
  fill(4, "SELL", "1", "90", "0.09", "stop"),
  fill(5, "BUY", "2", "100", "0.2", "entry"),
  fill(6, "SELL", "1", "110", "0.11", "tp1"),
  fill(7, "SELL", "1", "100", "0.1", "stop"),
];
// Equity at each daily close, worked out by hand from the fills (marks: 105 on day 1, 100 on days 3 and 5, 110 on day 6).
const equity = [1000, 1004.9, 1019.78, 1019.68, 1009.59, 1009.39, 1029.28, 1019.18];

describe("the backtest report", () => {
  const report = buildReport({
    symbol: "TESTUSDT",
    timeframe: "1d",
    initialBalance: dec("1000"),
    trades,
    curve: equity.map((e, k) => ({ time: day(k), equity: e })),
    firstClose: 100,
    lastClose: 100,
    exposedCycles: 3,
    cycles: 7,
  });

  it("sums each round trip exactly: proceeds − cost − every fee", () => {
    expect(report.roundTrips.map((t) => [t.pnl, t.fees, t.exitReasons.join("+"), t.exitPrice])).toEqual([
      ["19.78", "0.22", "tp2", "120.00000000"],
      ["-10.19", "0.19", "stop", "90.00000000"],
      ["9.59", "0.41", "tp1+stop", "105.00000000"],
    ]);
  });

  it("gives the hand-computed figures", () => {
    expect(report).toMatchObject({
      trades: 3,
      wins: 2,
      losses: 1,
      winRatePct: 66.6667,
      profitFactor: 2.8822, // 29.37 / 10.19
      averageWin: "14.68500000", // (19.78 + 9.59) / 2
      averageLoss: "-10.19000000",
      finalEquity: "1019.18000000",
      totalReturnPct: 1.918,
      buyAndHoldReturnPct: 0,
      maxDrawdownPct: 1.0188, // 1019.78 → 1009.39
      maxDrawdownPeak: new Date(day(2)).toISOString(),
      maxDrawdownTrough: new Date(day(5)).toISOString(),
      sharpe: 4.6699, // mean / sample sd of the 7 daily returns × √365
      sortino: 10.0554, // mean / downside deviation × √365
      timeInMarketPct: 42.8571,
    });
  });

  it("tabulates exits by reason with their realised PnL", () => {
    expect(report.exitReasons).toEqual([
      { reason: "tp2", count: 1, pnl: "19.88" },
      { reason: "stop", count: 2, pnl: "-10.19" }, // −10.09 and −0.1
      { reason: "tp1", count: 1, pnl: "9.89" },
    ]);
  });

  it("reports a position still open apart from the closed trades", () => {
    const open = buildReport({
      symbol: "TESTUSDT",
      timeframe: "1d",
      initialBalance: dec("1000"),
      trades: trades.slice(0, 3),
      curve: [{ time: day(0), equity: 1000 }],
      firstClose: 100,
      lastClose: 110,
      exposedCycles: 1,
      cycles: 1,
    });
    expect([open.trades, open.openTrades, open.buyAndHoldReturnPct, open.sharpe]).toEqual([1, 1, 10, null]);
    expect(open.roundTrips[1]).toMatchObject({ exitTime: null, exitPrice: null, pnl: "-0.1" });
  });
});
