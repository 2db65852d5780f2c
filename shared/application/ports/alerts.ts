export type AlertEvent = "entry" | "exit" | "failure";

/** A message for people (readable as e-mail) with attributes for filtering subscriptions. */
export interface Alert {
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
