import type { BacktestReport } from "../../shared/application/backtest/backtest-report.ts";

const HEADER =
  "strategy,time,symbol,side,reason,price,quantity,quote_amount,fee,realized_pnl_after_exit_fee,position_after";

/** Every fill of one or several backtests, one CSV row each, exact decimals, times in UTC. */
export function fillsCsv(reports: readonly (BacktestReport & { strategy?: { name: string } })[]): string {
  const rows = reports.flatMap((r) =>
    r.fills.map((f) =>
      [
        r.strategy?.name ?? "",
        f.time,
        f.symbol,
        f.side,
        f.reason,
        f.price,
        f.quantity,
        f.quoteAmount,
        f.fee,
        f.realizedPnl ?? "",
        f.positionAfter,
      ].join(","),
    ),
  );
  return `${[HEADER, ...rows].join("\n")}\n`;
}
