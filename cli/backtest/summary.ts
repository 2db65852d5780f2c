import type { BacktestReport } from "../../shared/application/backtest/backtest-report.ts";
import { duration, money, percent, signedMoney, utcTime } from "../../shared/application/format.ts";
import { blockedText } from "./protections-compare.ts";

export interface RunParameters {
  readonly strategy: string;
  readonly params: Readonly<Record<string, number | undefined>>;
  readonly feeRate: string;
  readonly stakeFraction: string;
  readonly maxOpenPositions: number;
  readonly filters: { readonly tick: string; readonly step: string; readonly minNotional: string };
  readonly source: string;
}

const num = (value: number | null, suffix = "") => (value === null ? "n/a" : `${value}${suffix}`);

/** The backtest for people, in the terminal: USDT to 2 decimals, signed percentages, UTC times. */
export function formatSummary(
  r: BacktestReport & {
    parameters?: RunParameters;
    risk?: string | null;
    blockedEntries?: Record<string, number>;
  },
): string {
  const p = r.parameters;
  const reasonWidth = Math.max(6, ...r.fills.map((f) => f.reason.length));
  const lines = [
    `Backtest ${r.symbol} ${r.timeframe}: ${utcTime(r.from)} → ${utcTime(r.to)}, ${r.cycles} cycles`,
    ...(p
      ? [
          `  ${p.strategy} ${JSON.stringify(p.params)}; fee ${p.feeRate}, stake ${p.stakeFraction}, at most ${p.maxOpenPositions} positions;`,
          `  filters tick ${p.filters.tick}, step ${p.filters.step}, min notional ${p.filters.minNotional}; candles from ${p.source}`,
        ]
      : []),
    "",
    `  equity            ${money(r.initialBalance)} → ${money(r.finalEquity)} USDT (net ${signedMoney(r.netPnl)}, fees paid ${money(r.feesPaid)})`,
    `  total return      ${percent(r.totalReturnPct)}   (buy and hold ${percent(r.buyAndHoldReturnPct)}); CAGR ${percent(r.cagrPct)}`,
    `  trades            ${r.trades} closed${r.openTrades ? `, ${r.openTrades} still open` : ""}; ${r.wins} won, ${r.losses} lost; win rate ${r.winRatePct === null ? "n/a" : `${r.winRatePct.toFixed(2)} %`}`,
    `  per trade         expectancy ${r.expectancy === null ? "n/a" : signedMoney(r.expectancy)} USDT (after fees); held ${duration(r.averageTradeHours)} on average (winners ${duration(r.averageWinnerHours)}, losers ${duration(r.averageLoserHours)})`,
    `  best / worst      ${r.bestTradePnl === null ? "n/a" : signedMoney(r.bestTradePnl)} / ${r.worstTradePnl === null ? "n/a" : signedMoney(r.worstTradePnl)} USDT; at most ${r.maxConsecutiveWins} won and ${r.maxConsecutiveLosses} lost in a row`,
    `  days              ${r.daysWon} won, ${r.daysDrawn} drawn, ${r.daysLost} lost (UTC days, by equity)`,
    `  profit factor     ${num(r.profitFactor)}; average win / loss ${r.averageWin === null ? "n/a" : money(r.averageWin)} / ${r.averageLoss === null ? "n/a" : money(r.averageLoss)} USDT`,
    `  max drawdown      ${r.maxDrawdownPct.toFixed(2)} % over ${r.maxDrawdownDays} days (${utcTime(r.maxDrawdownPeak)} → ${utcTime(r.maxDrawdownTrough)}); Calmar ${num(r.calmar)}`,
    `  Sharpe / Sortino  ${num(r.sharpe)} / ${num(r.sortino)} (daily returns, annualised)`,
    `  time in market    ${r.timeInMarketPct.toFixed(2)} % of the cycles in a position`,
    ...(r.risk ? [`  risk controls     ${r.risk}; ${blockedText(r.blockedEntries ?? {})}`] : []),
  ];
  if (r.exitReasons.length) {
    lines.push(
      "",
      "  exits by reason (realised PnL after the exit's fee):",
      ...r.exitReasons.map(
        (e) =>
          `    ${e.reason.padEnd(reasonWidth + 1)} ${String(e.count).padStart(4)}  ${signedMoney(e.pnl).padStart(10)} USDT`,
      ),
    );
  }
  if (r.fills.length) {
    lines.push("", "  fills:");
    for (const f of r.fills) {
      lines.push(
        `    ${utcTime(f.time)}  ${f.side.padEnd(4)} ${f.reason.padEnd(reasonWidth)} ${f.quantity} @ ${f.price}  fee ${money(f.fee)}${f.realizedPnl === null ? "" : `  PnL ${signedMoney(f.realizedPnl)}`}  holding ${f.positionAfter}`,
      );
    }
  }
  if (r.roundTrips.length) {
    lines.push("", "  round trips (PnL after every fee):");
    for (const t of r.roundTrips) {
      lines.push(
        `    ${utcTime(t.entryTime)} → ${t.exitTime ? utcTime(t.exitTime) : "open"}  ${t.quantity} @ ${t.entryPrice} → ${t.exitPrice ? money(t.exitPrice) : "open"}  fees ${money(t.fees)}  ${t.exitReasons.join("+") || "open"}  PnL ${signedMoney(t.pnl)} USDT`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
