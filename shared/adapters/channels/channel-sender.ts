import { TradingBotError } from "../../domain/errors.ts";
import type { ChannelConfig } from "../config/alert-channels.ts";
import { sleep } from "../sleep.ts";
import {
  type AlertData,
  discordMessage,
  slackMessage,
  telegramMessage,
  webhookMessage,
} from "./channel-messages.ts";

/** The channel refused the message for good (a revoked token, a deleted webhook, a bad request): retrying cannot help. */
export class ChannelRejectedError extends TradingBotError {
  override readonly name: string = "ChannelRejectedError";
  readonly retryable = false;
  /** The credential itself was refused (401, 403, 404, 410): a new one is needed, not a new message. */
  readonly credential: boolean;

  constructor(message: string, credential = false) {
    super(message);
    this.credential = credential;
  }
}

/** The channel did not take the message in the time there was (5xx, unreachable, rate limited too long). */
export class ChannelUnavailableError extends TradingBotError {
  override readonly name: string = "ChannelUnavailableError";
  readonly retryable = true;
}

const TELEGRAM_API = "https://api.telegram.org";

export interface ChannelSenderOptions {
  readonly channel: ChannelConfig;
  /** The token or URL, as read from SSM (or the local env var): never logged, never in an error. */
  readonly secret: string;
  /** Telegram's Bot API host (a local server in tests). */
  readonly telegramApi?: string;
  readonly fetch?: typeof fetch;
  readonly maxAttempts?: number;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly requestTimeoutMs?: number;
  /** Time left for this delivery (ms): no wait, however asked for, goes past it. */
  readonly remainingMs?: () => number;
}

const REVOKED: Record<number, string> = {
  401: "the token is wrong or was revoked",
  403: "the bot or webhook may not post there (removed from the chat, or the token is invalid)",
  404: "the webhook or bot does not exist (deleted, or the token is wrong)",
  410: "the webhook's channel is gone (archived or deleted)",
};

/**
 * Sends alerts to one channel: Telegram's Bot API, a Discord or Slack incoming webhook, or any
 * HTTPS webhook. Retries 5xx and network failures with jittered backoff, waits as long as a 429
 * asks (Telegram's `retry_after`, Discord's and Slack's `Retry-After`) when the time left allows,
 * and never retries what the channel refused for good. Errors name the channel, never its secret.
 */
export class ChannelSender {
  readonly #o: Required<Omit<ChannelSenderOptions, "remainingMs">> & { remainingMs: () => number };

  constructor(options: ChannelSenderOptions) {
    this.#o = {
      telegramApi: TELEGRAM_API,
      fetch: globalThis.fetch,
      maxAttempts: 4,
      backoffBaseMs: 500,
      backoffMaxMs: 8_000,
      requestTimeoutMs: 5_000,
      remainingMs: () => Number.POSITIVE_INFINITY,
      ...options,
    };
  }

  get name(): string {
    return this.#o.channel.name;
  }

  /** The same sender, bound to an invocation's time left. */
  withTime(remainingMs: () => number): ChannelSender {
    return new ChannelSender({ ...this.#o, remainingMs });
  }

  #request(alert: AlertData): { url: string; body: unknown; headers: Record<string, string> } {
    const { channel, secret } = this.#o;
    const headers = { "content-type": "application/json", "x-alert-id": alert.id };
    switch (channel.type) {
      case "telegram":
        return {
          url: `${this.#o.telegramApi}/bot${secret}/sendMessage`,
          body: telegramMessage(channel.chatId ?? "", alert),
          headers,
        };
      case "discord": {
        const url = new URL(secret);
        url.searchParams.set("wait", "true");
        return { url: url.href, body: discordMessage(alert), headers };
      }
      case "slack":
        return { url: secret, body: slackMessage(alert), headers };
      default:
        return { url: secret, body: webhookMessage(alert), headers };
    }
  }

  async send(alert: AlertData): Promise<void> {
    const { channel, maxAttempts } = this.#o;
    const where = `alert channel "${channel.name}" (${channel.type})`;
    const request = this.#request(alert);
    let problem = "no attempt was made";
    let rateLimits = 0;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let response: Response;
      let text: string;
      try {
        response = await this.#o.fetch(request.url, {
          method: "POST",
          headers: request.headers,
          body: JSON.stringify(request.body),
          // A redirect is answered, not followed: an alert is never re-posted to another host.
          redirect: "manual",
          signal: AbortSignal.timeout(Math.max(1, Math.min(this.#o.requestTimeoutMs, this.#o.remainingMs()))),
        });
        text = await readAtMost(response, MAX_RESPONSE_BYTES);
      } catch (error) {
        // The cause's code only ("ECONNREFUSED", "TimeoutError"): a message could hold the URL.
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        problem = `unreachable (${cause})`;
        if (!(await this.#backoff(attempt))) break;
        continue;
      }
      if (response.status >= 300 && response.status < 400)
        throw new ChannelRejectedError(
          `${where} answered a redirect (HTTP ${response.status}): alerts are never re-posted elsewhere; put the final URL in the channel's secret`,
        );
      const body = parse(text);
      const telegramFailed = channel.type === "telegram" && response.ok && body?.ok !== true;
      if (response.ok && !telegramFailed) return;
      const status = telegramFailed ? Number(body?.error_code ?? 500) : response.status;
      const description = typeof body?.description === "string" ? `: ${body.description.slice(0, 200)}` : "";
      if (status === 429) {
        const seconds = retryAfterSeconds(response, body);
        const waitMs = Math.ceil(seconds * 1000);
        problem = `rate limited (429), asked to wait ${seconds} s`;
        // A 429 is the channel asking for time, not a failure: it does not use up an attempt (up to 3 times).
        if (waitMs + 1_000 > this.#o.remainingMs() || rateLimits >= 3) break;
        rateLimits++;
        attempt--;
        await sleep(waitMs);
        continue;
      }
      if (status >= 500) {
        problem = `HTTP ${status}${description}`;
        if (!(await this.#backoff(attempt))) break;
        continue;
      }
      const why = REVOKED[status] ?? "the channel refused the message";
      throw new ChannelRejectedError(
        `${where} answered HTTP ${status}${description}: ${why}; not retried. ${channel.secretParameter ? `Check the secret in the SSM parameter ${channel.secretParameter}` : "Check the channel's settings"}.`,
        status in REVOKED,
      );
    }
    throw new ChannelUnavailableError(`${where} did not take alert ${alert.id}: ${problem}`);
  }

  async #backoff(attempt: number): Promise<boolean> {
    if (attempt >= this.#o.maxAttempts) return false;
    const delay = Math.random() * Math.min(this.#o.backoffMaxMs, this.#o.backoffBaseMs * 2 ** (attempt - 1));
    if (delay + 1_000 > this.#o.remainingMs()) return false;
    await sleep(delay);
    return true;
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Telegram: parameters.retry_after; Discord: retry_after in the body; all: the Retry-After header (seconds). */
function retryAfterSeconds(response: Response, body: Record<string, unknown> | undefined): number {
  const parameters = body?.parameters as { retry_after?: unknown } | undefined;
  for (const value of [parameters?.retry_after, body?.retry_after, response.headers.get("retry-after")]) {
    const seconds = Number(value);
    if (value !== undefined && value !== null && Number.isFinite(seconds) && seconds >= 0) return seconds;
  }
  return 1;
}

/** What a channel's answer is read for (ok, a description, retry_after): its first 64 KB are plenty. */
export const MAX_RESPONSE_BYTES = 65_536;

/** The start of a response's body, at most `max` bytes; the rest is not read (the stream is cancelled). */
export async function readAtMost(response: Response, max: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, max).toString("utf8");
}
