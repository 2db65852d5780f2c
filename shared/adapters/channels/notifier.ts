import { boundedId } from "../../application/cut-text.ts";
import type { AlertEvent } from "../../application/ports/alerts.ts";
import { ConfigurationError } from "../../domain/errors.ts";
import {
  CHANNEL_EVENTS,
  type ChannelConfig,
  checkSecret,
  parseAlertSettings,
} from "../config/alert-channels.ts";
import { alarmAlert } from "./alarm-message.ts";
import type { AlertData } from "./channel-messages.ts";
import { ChannelRejectedError, ChannelSender, type ChannelSenderOptions } from "./channel-sender.ts";
import { publicOnlyFetch } from "./pinned-fetch.ts";

/** One SNS record as Lambda hands it over. */
export interface SnsRecord {
  readonly Sns: {
    readonly MessageId?: string;
    readonly Subject?: string | null;
    readonly Message: string;
    readonly MessageAttributes?: Record<string, { readonly Type?: string; readonly Value?: string }>;
  };
}

/** The channel this notifier serves, from its environment (CHANNEL: the channel's settings as JSON). */
export function channelFromEnv(env: Record<string, string | undefined>): ChannelConfig {
  const text = env.CHANNEL;
  if (!text) throw new ConfigurationError("the environment variable CHANNEL is not set");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigurationError("CHANNEL is not JSON");
  }
  const [channel] = parseAlertSettings({ channels: [value] }, "CHANNEL").channels;
  return channel as ChannelConfig;
}

/**
 * The alert an SNS record carries: the trading function's (subject, text and attributes), or a
 * CloudWatch alarm's notification from the operations topic (JSON, no attributes).
 */
export function alertOfRecord(record: SnsRecord): AlertData {
  const attribute = (name: string) => record.Sns.MessageAttributes?.[name]?.Value ?? "";
  const event = attribute("event") as AlertEvent;
  if (!event) {
    const alarm = alarmAlert(record.Sns.Message);
    if (alarm) return alarm;
  }
  return {
    id: boundedId(attribute("alertId") || record.Sns.MessageId || ""),
    subject: record.Sns.Subject ?? record.Sns.Message.split("\n")[0] ?? "",
    message: record.Sns.Message,
    event: CHANNEL_EVENTS.includes(event) ? event : "failure",
    symbol: attribute("symbol"),
    timeframe: attribute("timeframe"),
    action: attribute("action"),
  };
}

/**
 * Delivers the topic's alerts to one channel. The secret is read once (the first delivery) and
 * checked, and read again after the channel refused it (a token rotated in SSM takes effect at
 * the next delivery, not when the container ends). An alert id seen recently is dropped (SNS
 * and the outbox deliver at least once; this container remembers the last 1,000). What is not
 * delivered throws, for the failure queue.
 */
export type NotifierOptions = Omit<ChannelSenderOptions, "channel" | "secret"> & {
  /** In Lambda, no channel URL may point at the machine itself (checkSecret). */
  readonly inLambda?: boolean;
};

export class Notifier {
  readonly #channel: ChannelConfig;
  readonly #readSecret: (remainingMs?: () => number) => Promise<string>;
  readonly #options: NotifierOptions;
  readonly #seen: string[] = [];
  #sender: Promise<ChannelSender> | undefined;

  constructor(
    channel: ChannelConfig,
    readSecret: (remainingMs?: () => number) => Promise<string>,
    options: NotifierOptions = {},
  ) {
    this.#channel = channel;
    this.#readSecret = readSecret;
    this.#options = options;
  }

  #senderOnce(remainingMs?: () => number): Promise<ChannelSender> {
    this.#sender ??= this.#readSecret(remainingMs).then((secret) => {
      const { inLambda, ...options } = this.#options;
      checkSecret(this.#channel, secret, `the secret ${this.#channel.secretParameter ?? ""}`, { inLambda });
      // In Lambda, every connection goes to a checked public address (a name resolving to this machine is refused).
      const guarded = inLambda && !options.fetch ? { fetch: publicOnlyFetch() } : {};
      return new ChannelSender({ ...options, ...guarded, channel: this.#channel, secret });
    });
    // A failed read is tried again by the next delivery.
    this.#sender.catch(() => {
      this.#sender = undefined;
    });
    return this.#sender;
  }

  /** Sends each record's alert once; "sent" or "repeat" per record. */
  async deliver(records: readonly SnsRecord[], remainingMs?: () => number): Promise<("sent" | "repeat")[]> {
    const sender = await this.#senderOnce(remainingMs);
    const outcomes: ("sent" | "repeat")[] = [];
    for (const record of records) {
      const alert = alertOfRecord(record);
      if (alert.id && this.#seen.includes(alert.id)) {
        outcomes.push("repeat");
        continue;
      }
      try {
        await (remainingMs ? sender.withTime(remainingMs) : sender).send(alert);
      } catch (error) {
        if (error instanceof ChannelRejectedError && error.credential) this.#sender = undefined;
        throw error;
      }
      this.#seen.push(alert.id);
      if (this.#seen.length > 1_000) this.#seen.shift();
      outcomes.push("sent");
    }
    return outcomes;
  }
}
