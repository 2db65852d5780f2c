import type { CycleResult } from "./cycle-result.ts";
import type { Metrics } from "./ports/metrics.ts";

/** The cycle's figures for CloudWatch, with low-cardinality dimensions only. */
export function emitCycleMetrics(
  metrics: Metrics,
  result: CycleResult,
  extras: { closeToEndMs?: number; binanceWeight?: number },
): void {
  const timeframe = { timeframe: result.timeframe };
  metrics.add("Cycles", "Count", 1, timeframe);
  metrics.add("CycleDuration", "Milliseconds", result.durationMs);
  if (result.status === "failed") {
    metrics.add("CycleFailures", "Count", 1, timeframe);
    return;
  }
  if (result.status === "stale") {
    metrics.add("StaleEvents", "Count", 1);
    return;
  }
  metrics.add("CycleSucceeded", "Count", 1, timeframe);
  if (result.status === "duplicate") {
    metrics.add("DuplicateDeliveries", "Count", 1);
    return;
  }
  if (result.signal) metrics.add("Signals", "Count", 1, { action: result.signal.action });
  if (result.entry) metrics.add("Entries", "Count", 1);
  for (const exit of result.exits) metrics.add("Exits", "Count", 1, { reason: exit.reason });
  if (result.account && !result.dryRun) metrics.add("Equity", "None", Number(result.account.equity));
  if (result.unmanagedPositions && !result.dryRun)
    metrics.add("UnmanagedPositions", "Count", result.unmanagedPositions.length);
  if (result.alerts?.failed) metrics.add("AlertFailures", "Count", result.alerts.failed);
  if (extras.closeToEndMs !== undefined)
    metrics.add("CloseToCycleEndDelay", "Milliseconds", extras.closeToEndMs, timeframe);
  if (extras.binanceWeight !== undefined) metrics.add("BinanceWeightUsed", "Count", extras.binanceWeight);
}
