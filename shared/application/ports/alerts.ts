import { TradingBotError } from "../../domain/errors.ts";

/** What an alert tells of: its subscribers filter on it (SNS filter policies, a channel's events). */
export const ALERT_EVENTS = [
  "entry",
  "exit",
  "failure",
  "signal",
  "digest",
  "protection",
  "rebalance",
] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** A message for people (readable as e-mail) with attributes for filtering subscriptions. */
export interface Alert {
  /**
   * Stable across every attempt to send it (`<account>/<symbol>/<timeframe>/<candle>/<what>`):
   * sent as the `alertId` message attribute, so that subscribers can drop a repeat.
   */
  readonly id: string;
  /** Under 100 characters. */
  readonly subject: string;
  readonly message: string;
  readonly attributes: {
    readonly event: AlertEvent;
    readonly symbol: string;
    readonly timeframe: string;
    readonly action: string;
  };
}

/** Publishes an alert; throws AlertRefusedError when the service refuses it for good, anything else when it may take it later. */
export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}

/**
 * The service refused the alert itself (invalid, too large, not authorized): sending it again
 * cannot help. The delivery sets it aside as a dead letter and goes on with the next alert.
 */
export class AlertRefusedError extends TradingBotError {
  override readonly name: string = "AlertRefusedError";
  readonly retryable = false;
}

/**
 * The service took no alert now, for a reason that is not the alert's: it is throttling, or the
 * system is at fault (a disabled or throttled KMS key, a missing authorization, the topic gone).
 * The delivery keeps every alert queued without counting an attempt, stops, and says so (alarm).
 */
export class AlertServiceUnavailableError extends TradingBotError {
  override readonly name: string = "AlertServiceUnavailableError";
  readonly retryable = true;
  readonly kind: "throttled" | "system-fault";

  constructor(kind: "throttled" | "system-fault", message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}

/** An alert set aside: refused for good, or not sent after MAX_ALERT_ATTEMPTS deliveries. */
export interface DeadLetter extends QueuedAlert {
  /** Why (the service's refusal, or the last error). */
  readonly reason: string;
  /** ISO-8601 UTC. */
  readonly setAsideAt: string;
}

/** An alert in the outbox: written with the trades it tells of, sent after the commit. */
export interface QueuedAlert extends Alert {
  /** When it was queued (ISO-8601 UTC): the outbox is sent oldest first. */
  readonly queuedAt: string;
  /** Deliveries that tried it and failed (absent: none). */
  readonly attempts?: number;
}
