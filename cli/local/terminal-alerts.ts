import type { Alert, AlertPublisher } from "../../shared/application/ports/alerts.ts";

/** Alerts printed in the terminal, readable, and also sent on to SNS when a topic is configured. */
export class TerminalAlerts implements AlertPublisher {
  readonly #write: (text: string) => void;
  readonly #next: AlertPublisher | undefined;

  constructor(write: (text: string) => void, next?: AlertPublisher) {
    this.#write = write;
    this.#next = next;
  }

  /** Printed once it reached SNS (when configured): an alert left in the outbox is printed when it goes. */
  async publish(alert: Alert): Promise<void> {
    await this.#next?.publish(alert);
    const rule = "─".repeat(Math.max(8, 72 - alert.subject.length));
    this.#write(`\n── ALERT ${alert.subject} ${rule}\n${alert.message}\n${"─".repeat(80)}\n`);
  }
}
