import { PublishCommand, SNSClient, type SNSClientConfig } from "@aws-sdk/client-sns";
import { isThrottlingError, isTransientError } from "@smithy/core/retry";
import { headOf } from "../../application/cut-text.ts";
import type { Deadline } from "../../application/cycle/index.ts";
import {
  type Alert,
  type AlertPublisher,
  AlertRefusedError,
  AlertServiceUnavailableError,
} from "../../application/ports/alerts.ts";

/** SNS takes at most 256 KiB a message, attributes included: the message is cut well below it. */
export const MAX_SNS_MESSAGE_BYTES = 250_000;
/** Throttles the SDK's own list does not name (SNS's KMS throttle, its query-protocol code). */
const THROTTLES = new Set(["Throttled", "Throttling", "KMSThrottling"]);
/** Refusals that are about the system, not one alert: no alert can be sent until someone acts. */
const SYSTEM_FAULTS = new Set([
  "KMSDisabled",
  "KMSAccessDenied",
  "KMSInvalidState",
  "KMSNotFound",
  "KMSOptInRequired",
  "AuthorizationError",
  "AccessDenied",
  "NotFound",
  "InvalidSecurity",
  "InvalidClientTokenId",
  "UnrecognizedClient",
  "ExpiredToken",
  "SignatureDoesNotMatch",
  "MissingAuthenticationToken",
]);

type ServiceError = Error & { $fault?: string; $retryable?: { throttling?: boolean }; Code?: string };

/** SNS's error code, as its exception names it ("KMSDisabledException" and "KMSDisabled" alike). */
const codeOf = (e: ServiceError) => (e.Code ?? e.name ?? "").replace(/Exception$/, "");

/**
 * What a failed Publish means: a throttle (the SDK's own marks and codes, and SNS's), a fault of
 * the system (a disabled key, no authorization, the topic gone), a refusal of this alert (any other
 * client fault), or anything else (the network, a server error): sent again later.
 */
function classifySnsError(error: unknown): "throttled" | "system-fault" | "refused" | "transient" {
  const e = error as ServiceError;
  if (typeof e !== "object" || e === null) return "transient";
  const code = codeOf(e);
  if (isThrottlingError(e as never) || THROTTLES.has(code)) return "throttled";
  if (SYSTEM_FAULTS.has(code)) return "system-fault";
  if (isTransientError(e as never) || e.$retryable !== undefined) return "transient";
  return e.$fault === "client" ? "refused" : "transient";
}

/** `text` in at most `max` UTF-8 bytes, never splitting a character or a grapheme (an emoji with its modifiers), saying it was cut. */
export function cutToBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  const note = "\n[message cut: too long for SNS]";
  // A character split at the byte cut decodes as U+FFFD: it goes; then back to a grapheme boundary.
  const units = Buffer.from(text)
    .subarray(0, max - Buffer.byteLength(note))
    .toString("utf8")
    .replace(/\uFFFD$/, "").length;
  return `${headOf(text, units)}${note}`;
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
      const kind = classifySnsError(error);
      const what = `${(error as Error).name}: ${(error as Error).message}`;
      // SNS said no to this alert (invalid, too large): sending it again cannot help.
      if (kind === "refused")
        throw new AlertRefusedError(`SNS refused alert ${alert.id}: ${what}`, { cause: error });
      if (kind === "throttled" || kind === "system-fault")
        throw new AlertServiceUnavailableError(kind, `SNS took no alert (${kind}): ${what}`, {
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
