import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { Alert, DeadLetter, QueuedAlert } from "./alerts.ts";

/** The pseudo-account whose outbox holds the alerts of alert-only entries; no trade account may take the name. */
export const SIGNALS_ACCOUNT = "signals";

/** Where an alert is queued once (a cycle's failure, a digest, a signal): the outbox's writer. */
export interface AlertQueue {
  /**
   * Queues an alert of a candle in the outbox once per `kind` ("FAILURE", "SIGNAL-<strategy>"):
   * false when it was queued before (however often the cycle is retried).
   */
  queueAlertOnce(
    accountId: string,
    kind: string,
    symbol: string,
    timeframe: Timeframe,
    candleTime: number,
    alert: Alert,
  ): Promise<boolean>;
}

/** The outbox as a delivery uses it: sent after the commit, set aside when they will never go. */
export interface AlertDelivery {
  /** The account's alerts not sent yet, oldest first. */
  pendingAlerts(accountId: string, limit: number): Promise<QueuedAlert[]>;
  /** Takes an alert for `leaseMs` so that no other delivery sends it meanwhile; false when another holds it. */
  leaseAlert(accountId: string, alert: QueuedAlert, now: number, leaseMs: number): Promise<boolean>;
  /** Gives a lease back after a failed send, counting the attempt (unless the failure was not the alert's), so that the next delivery tries at once. */
  releaseAlert(accountId: string, alert: QueuedAlert, countAttempt?: boolean): Promise<void>;
  /** The alert went out: it leaves the outbox. */
  alertSent(accountId: string, alert: QueuedAlert): Promise<void>;
  /** Moves an alert that will never be sent out of the outbox into the dead letters, with why. */
  setAsideAlert(accountId: string, alert: QueuedAlert, reason: string, now: number): Promise<void>;
}

/** The alerts that will never go, as status and the chat read them. */
export interface DeadLetters {
  /** The account's dead letters, oldest first (they expire with the cycle records). */
  deadLetters(accountId: string, limit: number): Promise<DeadLetter[]>;
}

/** The account's alerts on their way out, as a store implements it: queued with the trades they tell of, delivered, set aside. */
export type AlertOutbox = AlertQueue & AlertDelivery & DeadLetters;

/** What sends an account's alerts: queues one (a failure's) and delivers the rest. */
export type AlertSender = AlertQueue & AlertDelivery;
