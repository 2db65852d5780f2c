import type { BacktestReport } from "../../shared/application/backtest/backtest-report.ts";

const num = (value: number | null, suffix = "") => (value === null ? "n/a" : `${value}${suffix}`);
const money = (value: string | null) => (value === null ? "n/a" : Number(value).toFixed(2));
const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "—");

/** The backtest for people, in the terminal. */
export function formatSummary(r: BacktestReport): string {
  const lines = [
    `Backtest ${r.symbol} ${r.timeframe}: ${day(r.from)} → ${day(r.to)} UTC, ${r.cycles} cycles`,
    "",
    `  total return      ${num(r.totalReturnPct, " %")}   (${r.initialBalance} → ${r.finalEquity} USDT)`,
    `  buy and hold      ${num(r.buyAndHoldReturnPct, " %")}`,
    `  trades            ${r.trades} closed${r.openTrades ? `, ${r.openTrades} still open` : ""}; ${r.wins} won, ${r.losses} lost; win rate ${num(r.winRatePct, " %")}`,
    `  profit factor     ${num(r.profitFactor)}`,
    `  average win/loss  ${money(r.averageWin)} / ${money(r.averageLoss)} USDT`,
    `  max drawdown      ${num(r.maxDrawdownPct, " %")} (${day(r.maxDrawdownPeak)} → ${day(r.maxDrawdownTrough)})`,
    `  Sharpe / Sortino  ${num(r.sharpe)} / ${num(r.sortino)} (daily returns, annualised)`,
    `  exposure          ${num(r.exposurePct, " %")} of the time in a position`,
  ];
  if (r.exitReasons.length) {
    lines.push(
      "",
      "  exits by reason:",
      ...r.exitReasons.map(
        (e) => `    ${e.reason.padEnd(7)} ${String(e.count).padStart(4)}  ${money(e.pnl).padStart(10)} USDT`,
      ),
    );
  }
  if (r.roundTrips.length) {
    lines.push("", "  trades:");
    for (const t of r.roundTrips) {
      lines.push(
        `    ${day(t.entryTime)} → ${day(t.exitTime)}  ${t.quantity} @ ${t.entryPrice} → ${t.exitPrice ? Number(t.exitPrice).toFixed(2) : "open"}  fees ${money(t.fees)}  ${t.exitReasons.join("+") || "open"}  PnL ${money(t.pnl)} USDT`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
