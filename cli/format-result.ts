import { money, signedMoney, utcTime } from "../shared/application/format.ts";
import type { CycleResult, FillView } from "../shared/application/ports/cycle-outcome.ts";

// Prices and quantities print as the exchange gave them (on its tick and step), the fee exactly
// as the alerts show it; USDT sums in prose with 2 decimals (the exact values are in --json).
const fill = (f: FillView) =>
  `${f.side} ${f.quantity} @ ${f.price} (${f.reason}), fee ${f.fee}${f.realizedPnl ? `, realised PnL ${signedMoney(f.realizedPnl)} USDT` : ""}`;

/** A cycle's result for people: what the signal was and what was (or would be) traded. */
export function formatResult(result: CycleResult): string {
  const rebalance = result.strategy === "rebalance";
  const head = rebalance
    ? `rebalance of ${result.accountId} (${result.timeframe})${result.dryRun ? " (dry run)" : ""}`
    : `${result.symbol} ${result.timeframe}${result.dryRun ? " (dry run)" : ""}`;
  if (result.status === "failed")
    return `${head}: FAILED — ${result.error?.type}: ${result.error?.message}\n`;
  const lines = [
    `${head}: ${result.status}${result.candle ? `, candle closed ${utcTime(result.candle.closeTime)}, close ${result.candle.close}` : ""}${rebalance && typeof result.signal?.close === "string" ? `, at the close of ${utcTime(result.signal.close)}` : ""}`,
  ];
  const signal = result.signal;
  if (signal)
    lines.push(
      `  signal: ${signal.action}${typeof signal.trend === "string" ? ` (${signal.trend})` : ""} — ${signal.reason}`,
    );
  for (const exit of result.exits) lines.push(`  exit:   ${fill(exit)}`);
  if (result.entry) lines.push(`  entry:  ${fill(result.entry)}`);
  for (const leg of result.legs ?? []) lines.push(`  leg:    ${leg.symbol} ${fill(leg)}`);
  for (const skipped of result.skippedLegs ?? []) lines.push(`  leg skipped: ${skipped}`);
  if (result.entrySkipped) lines.push(`  entry skipped: ${result.entrySkipped}`);
  for (const name of result.protections?.engaged ?? []) lines.push(`  protection engaged: ${name}`);
  for (const name of result.protections?.released ?? []) lines.push(`  protection released: ${name}`);
  const p = result.position;
  if (p)
    lines.push(
      `  position: ${p.quantity} from ${p.entryPrice}, stop ${p.stopLoss ?? "none"}, targets ${p.takeProfit1 ?? "none"} / ${p.takeProfit2 ?? "none"}${p.tp1Taken ? " (TP1 taken)" : ""}`,
    );
  if (result.account)
    lines.push(
      `  account: ${money(result.account.usdtFree)} USDT free, equity ${money(result.account.equity)} USDT`,
    );
  if (result.alerts?.failed) lines.push(`  alerts: ${result.alerts.failed} could not be sent`);
  return `${lines.join("\n")}\n`;
}
