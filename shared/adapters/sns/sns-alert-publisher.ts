import { PublishCommand, SNSClient, type SNSClientConfig } from "@aws-sdk/client-sns";
import type { Deadline } from "../../application/deadline.ts";
import type { Alert, AlertPublisher } from "../../application/ports/alerts.ts";

/**
 * Trade and failure alerts to an SNS topic, with attributes subscribers can filter on and the
 * stable `alertId` they can drop a repeat by.
 */
export class SnsAlertPublisher implements AlertPublisher {
  readonly #client: SNSClient;
  readonly #topicArn: string;
  readonly #deadline: Deadline | undefined;

  constructor(client: SNSClient, topicArn: string, deadline?: Deadline) {
    this.#client = client;
    this.#topicArn = topicArn;
    this.#deadline = deadline;
  }

  async publish(alert: Alert): Promise<void> {
    const attributes = Object.fromEntries(
      Object.entries({ ...alert.attributes, alertId: alert.id }).map(([name, value]) => [
        name,
        { DataType: "String", StringValue: value },
      ]),
    );
    await this.#client.send(
      new PublishCommand({
        TopicArn: this.#topicArn,
        // SNS subjects: printable ASCII, under 100 characters.
        Subject: alert.subject.replace(/[^\x20-\x7e]/g, "?").slice(0, 99),
        Message: alert.message,
        MessageAttributes: attributes,
      }),
      { abortSignal: this.#deadline?.signal() },
    );
  }
}

/**
 * An SNS client that cannot hang a cycle: 3 s per request (1 s to connect), two attempts. An alert
 * that does not get through stays in the outbox for the next delivery.
 */
export function createSnsClient(config: SNSClientConfig = {}): SNSClient {
  return new SNSClient({
    maxAttempts: 2,
    requestHandler: { requestTimeout: 3_000, connectionTimeout: 1_000, throwOnRequestTimeout: true },
    ...config,
  });
}
