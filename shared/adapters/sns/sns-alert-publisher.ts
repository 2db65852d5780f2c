import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Alert, AlertPublisher } from "../../application/ports/alerts.ts";

/** Trade and failure alerts to an SNS topic, with attributes subscribers can filter on. */
export class SnsAlertPublisher implements AlertPublisher {
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(client: SNSClient, topicArn: string) {
    this.#client = client;
    this.#topicArn = topicArn;
  }

  async publish(alert: Alert): Promise<void> {
    const attributes = Object.fromEntries(
      Object.entries(alert.attributes).map(([name, value]) => [
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
    );
  }
}
