export type AlertEvent = "entry" | "exit" | "failure" | "signal" | "digest";

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

export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}

/** An alert in the outbox: written with the trades it tells of, sent after the commit. */
export interface QueuedAlert extends Alert {
  /** When it was queued (ISO-8601 UTC): the outbox is sent oldest first. */
  readonly queuedAt: string;
}
