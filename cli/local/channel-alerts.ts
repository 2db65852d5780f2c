import { ChannelRejectedError, ChannelSender } from "../../shared/adapters/channels/channel-sender.ts";
import {
  type ChannelConfig,
  checkSecret,
  localSecretEnv,
} from "../../shared/adapters/config/alert-channels.ts";
import type { Alert, AlertPublisher } from "../../shared/application/ports/alerts.ts";
import { ConfigurationError } from "../../shared/domain/errors.ts";

/**
 * The configured channels for `npm start`, their secrets from environment variables
 * (ALERTS_<NAME>_SECRET) instead of SSM. A channel whose variable is missing or malformed is a
 * ConfigurationError naming the channel and the variable, at start. E-mail channels are SNS
 * subscriptions: locally they are reached through ALERT_TOPIC_ARN only, so they are skipped here.
 */
export function localChannelSenders(
  channels: readonly ChannelConfig[],
  env: Record<string, string | undefined>,
): { channel: ChannelConfig; sender: ChannelSender }[] {
  return channels
    .filter((c) => c.type !== "email")
    .map((channel) => {
      const variable = localSecretEnv(channel.name);
      const secret = env[variable];
      if (!secret)
        throw new ConfigurationError(
          `alert channel "${channel.name}" (${channel.type}) needs its secret in the environment variable ${variable} when it runs on this machine (deployed, it is read from the SSM parameter ${channel.secretParameter})`,
        );
      checkSecret(channel, secret, `the environment variable ${variable}`);
      const telegramApi = env.TELEGRAM_API_URL;
      return {
        channel,
        sender: new ChannelSender({ channel, secret, ...(telegramApi ? { telegramApi } : {}) }),
      };
    });
}

/**
 * An alert to every channel that takes its event, each at most once: when one channel fails, the
 * publish fails (the alert stays in the outbox), and the next delivery sends it only to the
 * channels that have not had it. A channel that refuses for good (a revoked token, a deleted
 * webhook) is reported through `onRejected` and does not hold the outbox back: retrying cannot help,
 * and every later alert would wait behind it.
 */
export class ChannelAlerts implements AlertPublisher {
  readonly #targets: { channel: ChannelConfig; sender: ChannelSender }[];
  readonly #sent = new Set<string>();
  readonly #next: AlertPublisher | undefined;

  readonly #onRejected: (message: string) => void;

  /** `next`: SNS too, when a topic is configured (its e-mail subscriptions). */
  constructor(
    targets: { channel: ChannelConfig; sender: ChannelSender }[],
    next?: AlertPublisher,
    onRejected: (message: string) => void = () => {},
  ) {
    this.#targets = targets;
    this.#next = next;
    this.#onRejected = onRejected;
  }

  async publish(alert: Alert): Promise<void> {
    const failures: string[] = [];
    if (this.#next && !this.#sent.has(`sns ${alert.id}`)) {
      await this.#next.publish(alert);
      this.#sent.add(`sns ${alert.id}`);
    }
    for (const { channel, sender } of this.#targets) {
      const key = `${channel.name} ${alert.id}`;
      if (!channel.events.includes(alert.attributes.event) || this.#sent.has(key)) continue;
      try {
        await sender.send({
          id: alert.id,
          subject: alert.subject,
          message: alert.message,
          ...alert.attributes,
        });
        this.#sent.add(key);
      } catch (error) {
        if (error instanceof ChannelRejectedError) {
          this.#onRejected(error.message);
          this.#sent.add(key);
        } else failures.push((error as Error).message);
      }
    }
    if (failures.length) throw new Error(failures.join("; "));
  }
}
