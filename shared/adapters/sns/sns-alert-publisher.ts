import { PublishCommand, SNSClient, type SNSClientConfig } from "@aws-sdk/client-sns";
import type { Deadline } from "../../application/cycle/deadline.ts";
import { type Alert, type AlertPublisher, AlertRefusedError } from "../../application/ports/alerts.ts";

/** SNS takes at most 256 KiB a message, attributes included: the message is cut well below it. */
export const MAX_SNS_MESSAGE_BYTES = 250_000;
/** Client-side refusals that are not about the alert: waiting helps. */
const TRANSIENT = new Set([
  "Throttled",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
]);

/** `text` in at most `max` UTF-8 bytes, never splitting a character, saying it was cut. */
export function cutToBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  const note = "\n[message cut: too long for SNS]";
  const head = Buffer.from(text)
    .subarray(0, max - Buffer.byteLength(note))
    .toString("utf8");
  // A character split at the cut decodes as U+FFFD: it goes.
  return `${head.replace(/\uFFFD$/, "")}${note}`;
}

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
    try {
      await this.#client.send(
        new PublishCommand({
          TopicArn: this.#topicArn,
          // SNS subjects: printable ASCII, under 100 characters.
          Subject: alert.subject.replace(/[^\x20-\x7e]/g, "?").slice(0, 99),
          Message: cutToBytes(alert.message, MAX_SNS_MESSAGE_BYTES),
          MessageAttributes: attributes,
        }),
        { abortSignal: this.#deadline?.signal() },
      );
    } catch (error) {
      // SNS said no to this alert (invalid, not authorized, topic gone): sending it again cannot help.
      const e = error as { $fault?: string; name?: string; message?: string };
      if (e.$fault === "client" && !TRANSIENT.has(e.name ?? ""))
        throw new AlertRefusedError(`SNS refused alert ${alert.id}: ${e.name}: ${e.message}`, {
          cause: error,
        });
      throw error;
    }
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
