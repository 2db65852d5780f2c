import type { CycleResult } from "../ports/cycle-outcome.ts";
import type { Metrics } from "../ports/metrics.ts";

/**
 * Every metric the cycle emits: ten series in all (no dimension but Powertools' `service`), so
 * CloudWatch costs nothing whatever the watchlist (its always-free tier holds 10 custom metrics).
 * Per-symbol and per-timeframe detail lives in the "Cycle finished" log lines (Logs Insights).
 */
export const CYCLE_METRICS = {
  /** Live cycles that ran to their end (the heartbeat): not dry runs, not duplicates. */
  succeeded: "CyclesSucceeded",
  failed: "CyclesFailed",
  /** Refused as stale, late or not closed yet. */
  stale: "StaleEvents",
  invalid: "InvalidEvents",
  duplicate: "DuplicateDeliveries",
  /** Entries and exits; a rebalance's legs. */
  fills: "Fills",
  /** Alerts that could not be sent this delivery (they stay in the outbox), or were set aside as dead letters. */
  alertFailures: "AlertFailures",
  unmanaged: "UnmanagedPositions",
  delay: "CloseToCycleEndDelay",
  weight: "BinanceWeightUsed",
} as const;

const M = CYCLE_METRICS;

/** The cycle's figures for CloudWatch. A dry run counts only when its event was invalid. */
export function emitCycleMetrics(
  metrics: Metrics,
  result: CycleResult,
  extras: { closeToEndMs?: number | undefined; binanceWeight?: number | undefined },
): void {
  if (result.error?.type === "InvalidRequestError" || result.error?.type === "UnscheduledPairError") {
    metrics.add(M.invalid, "Count", 1);
    return;
  }
  if (result.dryRun) return;
  const notSent = (result.alerts?.failed ?? 0) + (result.alerts?.setAside ?? 0);
  if (notSent) metrics.add(M.alertFailures, "Count", notSent);
  if (extras.binanceWeight !== undefined) metrics.add(M.weight, "Count", extras.binanceWeight);
  if (result.status === "failed") metrics.add(M.failed, "Count", 1);
  if (result.status === "stale") metrics.add(M.stale, "Count", 1);
  if (result.status === "duplicate") metrics.add(M.duplicate, "Count", 1);
  if (result.status !== "ok") return;
  metrics.add(M.succeeded, "Count", 1);
  metrics.add(M.fills, "Count", result.exits.length + (result.entry ? 1 : 0) + (result.legs?.length ?? 0));
  if (result.unmanagedPositions) metrics.add(M.unmanaged, "Count", result.unmanagedPositions.length);
  if (extras.closeToEndMs !== undefined) metrics.add(M.delay, "Milliseconds", extras.closeToEndMs);
}
