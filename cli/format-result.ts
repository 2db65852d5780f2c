import type { CycleResult, FillView } from "../shared/application/cycle-result.ts";

const fill = (f: FillView) =>
  `${f.side} ${f.quantity} @ ${f.price} (${f.reason}), fee ${f.fee}${f.realizedPnl ? `, PnL ${f.realizedPnl} USDT` : ""}`;

/** A cycle's result for people: what the signal was and what was (or would be) traded. */
export function formatResult(result: CycleResult): string {
  const head = `${result.symbol} ${result.timeframe}${result.dryRun ? " (dry run)" : ""}`;
  if (result.status === "failed")
    return `${head}: FAILED — ${result.error?.type}: ${result.error?.message}\n`;
  const lines = [
    `${head}: ${result.status}${result.candle ? `, candle closed ${result.candle.closeTime}, close ${result.candle.close}` : ""}`,
  ];
  if (result.signal)
    lines.push(`  signal: ${result.signal.action} (${result.signal.trend}) — ${result.signal.reason}`);
  for (const exit of result.exits) lines.push(`  exit:   ${fill(exit)}`);
  if (result.entry) lines.push(`  entry:  ${fill(result.entry)}`);
  if (result.entrySkipped) lines.push(`  entry skipped: ${result.entrySkipped}`);
  const p = result.position;
  if (p)
    lines.push(
      `  position: ${p.quantity} from ${p.entryPrice}, stop ${p.stopLoss}, targets ${p.takeProfit1} / ${p.takeProfit2}${p.tp1Taken ? " (TP1 taken)" : ""}`,
    );
  if (result.account)
    lines.push(`  account: ${result.account.usdtFree} USDT free, equity ${result.account.equity} USDT`);
  if (result.alerts?.failed) lines.push(`  alerts: ${result.alerts.failed} could not be sent`);
  return `${lines.join("\n")}\n`;
}
