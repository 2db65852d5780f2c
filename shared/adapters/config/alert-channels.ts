import { isIP } from "node:net";
import { ALERT_EVENTS, type AlertEvent } from "../../application/ports/alerts.ts";
import { ConfigurationError } from "../../domain/errors.ts";
import { nonPublicKind } from "../channels/public-address.ts";

const CHANNEL_TYPES = ["telegram", "discord", "slack", "webhook", "email"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
/** What a channel can take: the trading function's alerts, and the stack's CloudWatch alarms. */
export type ChannelEvent = AlertEvent | "alarm";
export const CHANNEL_EVENTS: readonly ChannelEvent[] = [...ALERT_EVENTS, "alarm"];

/** One place alerts go, with the events it takes. */
export interface ChannelConfig {
  /** Unique, 1-40 lower-case letters, digits or "-": names its function, its env var, its log lines. */
  readonly name: string;
  readonly type: ChannelType;
  readonly events: readonly ChannelEvent[];
  /**
   * The SSM Parameter Store SecureString holding the channel's secret: Telegram's bot token, the
   * Discord, Slack or webhook URL (the URL is the credential). Never the secret itself.
   */
  readonly secretParameter?: string;
  /** Telegram: the chat the bot writes to. */
  readonly chatId?: string;
  /** Telegram: the bot answers commands (/status, /pause…) from the allowed chats. */
  readonly commands?: boolean;
  /** Telegram with commands: the chats whose commands are taken (default: chatId's only). */
  readonly allowedChats?: readonly string[];
  /** Telegram with commands, deployed: the SSM SecureString holding the webhook's secret token. */
  readonly webhookSecretParameter?: string;
  /** E-mail: the address SNS subscribes (it confirms by e-mail). */
  readonly address?: string;
}

export interface AlertSettings {
  readonly channels: readonly ChannelConfig[];
  /** The UTC hour of the daily digest (0-23); null: no digest. */
  readonly digestHourUtc: number | null;
}

const NO_ALERT_CHANNELS: AlertSettings = { channels: [], digestHourUtc: null };

const NAME = /^[a-z0-9-]{1,40}$/;
const PARAMETER = /^\/?[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*$/;
const CHAT_ID = /^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const FIELDS: Record<ChannelType, readonly string[]> = {
  telegram: ["secretParameter", "chatId", "commands", "allowedChats", "webhookSecretParameter"],
  discord: ["secretParameter"],
  slack: ["secretParameter"],
  webhook: ["secretParameter"],
  email: ["address"],
};
const SECRET_OF: Record<Exclude<ChannelType, "email">, string> = {
  telegram: "the bot token",
  discord: "the webhook URL",
  slack: "the incoming-webhook URL",
  webhook: "the HTTPS URL",
};

/** Where the local runner finds a channel's secret: ALERTS_<NAME>_SECRET ("ALERTS_TEAM_CHAT_SECRET"). */
export const localSecretEnv = (name: string) => `ALERTS_${name.toUpperCase().replace(/-/g, "_")}_SECRET`;

/**
 * `tradingBot.alerts`: `{"channels": [{"name", "type", "events"?, "secretParameter" | "chatId" |
 * "address"}], "digestHourUtc": null | 0-23}`. Every mistake is named by its key.
 */
export function parseAlertSettings(value: unknown, at = "tradingBot.alerts"): AlertSettings {
  if (value === undefined || value === null) return NO_ALERT_CHANNELS;
  if (typeof value === "string") {
    try {
      return parseAlertSettings(JSON.parse(value) as unknown, at);
    } catch (error) {
      if (error instanceof ConfigurationError) throw error;
      throw new ConfigurationError(`${at} is not JSON: ${value.slice(0, 40)}`);
    }
  }
  if (typeof value !== "object" || Array.isArray(value))
    throw new ConfigurationError(`${at} must be an object such as {"channels": [...], "digestHourUtc": 20}`);
  const { channels = [], digestHourUtc = null, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length)
    throw new ConfigurationError(
      `unknown key(s) in ${at}: ${Object.keys(rest).join(", ")}; known: channels, digestHourUtc`,
    );
  if (
    digestHourUtc !== null &&
    (typeof digestHourUtc !== "number" ||
      !Number.isInteger(digestHourUtc) ||
      digestHourUtc < 0 ||
      digestHourUtc > 23)
  )
    throw new ConfigurationError(
      `${at}.digestHourUtc must be an hour 0-23 (UTC) or null, got ${JSON.stringify(digestHourUtc)}`,
    );
  if (!Array.isArray(channels)) throw new ConfigurationError(`${at}.channels must be a list`);
  const parsed = channels.map((c, i) => parseChannel(c, `${at}.channels[${i}]`));
  const names = parsed.map((c) => c.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice)
    throw new ConfigurationError(`${at}.channels: the name "${twice}" is used twice; names must be unique`);
  const addresses = parsed.map((c) => c.address?.toLowerCase());
  const again = addresses.findIndex((a, i) => a !== undefined && addresses.indexOf(a) !== i);
  if (again >= 0)
    throw new ConfigurationError(
      `${at}.channels[${again}]: the address ${parsed[again]?.address} has a channel already; give one channel all the events it should get`,
    );
  return { channels: parsed, digestHourUtc };
}

function parseChannel(value: unknown, at: string): ChannelConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ConfigurationError(
      `${at} must be an object such as {"name": "phone", "type": "telegram", ...}`,
    );
  const input = value as Record<string, unknown>;
  const { type, name, events } = input;
  if (!CHANNEL_TYPES.includes(type as ChannelType))
    throw new ConfigurationError(
      `${at}.type must be one of ${CHANNEL_TYPES.join(", ")}, got ${JSON.stringify(type)}`,
    );
  const kind = type as ChannelType;
  if (typeof name !== "string" || !NAME.test(name))
    throw new ConfigurationError(
      `${at}.name must be 1-40 lower-case letters, digits or "-", got ${JSON.stringify(name)}`,
    );
  const allowed = ["name", "type", "events", ...FIELDS[kind]];
  const unknown = Object.keys(input).filter((k) => !allowed.includes(k));
  if (unknown.length)
    throw new ConfigurationError(
      `unknown key(s) in ${at} (a ${kind} channel): ${unknown.join(", ")}; known: ${allowed.join(", ")}`,
    );
  let chosen: readonly ChannelEvent[] = CHANNEL_EVENTS;
  if (events !== undefined) {
    if (
      !Array.isArray(events) ||
      events.length === 0 ||
      events.some((e) => !CHANNEL_EVENTS.includes(e as ChannelEvent))
    )
      throw new ConfigurationError(
        `${at}.events must be a non-empty list of ${CHANNEL_EVENTS.join(", ")}, got ${JSON.stringify(events)}`,
      );
    chosen = [...new Set(events as ChannelEvent[])];
  }
  if (kind === "email") {
    if (typeof input.address !== "string" || !EMAIL.test(input.address))
      throw new ConfigurationError(
        `${at}.address must be an e-mail address, got ${JSON.stringify(input.address)}`,
      );
    return { name, type: kind, events: chosen, address: input.address };
  }
  const parameter = input.secretParameter;
  if (typeof parameter !== "string" || !PARAMETER.test(parameter) || parameter.length > 2048)
    throw new ConfigurationError(
      `${at}.secretParameter is required: the name of an SSM SecureString parameter holding ${SECRET_OF[kind]} (e.g. "/paper-trader/${name}"), never the secret itself; got ${JSON.stringify(parameter)}`,
    );
  if (kind === "telegram") {
    const chat = typeof input.chatId === "number" ? String(input.chatId) : input.chatId;
    if (typeof chat !== "string" || !CHAT_ID.test(chat))
      throw new ConfigurationError(
        `${at}.chatId must be a Telegram chat id such as "123456789", "-1001234567890" or "@channel", got ${JSON.stringify(input.chatId)}`,
      );
    const { commands = false, allowedChats, webhookSecretParameter } = input;
    if (typeof commands !== "boolean")
      throw new ConfigurationError(`${at}.commands must be true or false, got ${JSON.stringify(commands)}`);
    if (
      allowedChats !== undefined &&
      (!Array.isArray(allowedChats) ||
        allowedChats.length === 0 ||
        allowedChats.length > 100 ||
        allowedChats.some((c) => !/^-?\d{1,20}$/.test(String(c))))
    )
      throw new ConfigurationError(
        `${at}.allowedChats must be a list of 1-100 numeric Telegram chat ids such as ["123456789"], got ${JSON.stringify(allowedChats).slice(0, 100)}`,
      );
    if (commands) {
      if (typeof webhookSecretParameter !== "string" || !PARAMETER.test(webhookSecretParameter))
        throw new ConfigurationError(
          `${at}.webhookSecretParameter is required with commands: the name of an SSM SecureString parameter holding the webhook's secret token (1-256 of A-Z a-z 0-9 _ -), e.g. "/paper-trader/${name}-webhook"; got ${JSON.stringify(webhookSecretParameter)}`,
        );
      if (!allowedChats && !/^-?\d+$/.test(chat))
        throw new ConfigurationError(
          `${at}.allowedChats is required with commands when chatId is a @channel name: commands are taken only from numeric chat ids`,
        );
    } else if (allowedChats !== undefined || webhookSecretParameter !== undefined)
      throw new ConfigurationError(`${at}: allowedChats and webhookSecretParameter go with "commands": true`);
    return {
      name,
      type: kind,
      events: chosen,
      secretParameter: parameter,
      chatId: chat,
      ...(commands
        ? {
            commands: true,
            allowedChats: (allowedChats as unknown[] | undefined)?.map(String) ?? [chat],
            webhookSecretParameter: webhookSecretParameter as string,
          }
        : {}),
    };
  }
  return { name, type: kind, events: chosen, secretParameter: parameter };
}

/** A host on this machine or its link-local network (the Lambda runtime API, the metadata service). */
const LOCAL_HOST =
  /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|169\.254(\.\d{1,3}){2}|\[::1?\]|\[::ffff:(127|169\.254)[.\d]*\])$/i;

/**
 * A channel's secret, checked before first use: a Telegram token looks like `123456:ABC…`; the
 * others are https URLs (Discord's and Slack's on their own hosts). Outside Lambda (the local
 * runner, tests) a plain-http URL on this machine is allowed too; in Lambda no URL may point at
 * the machine itself (its runtime API listens there). The message names the channel and where
 * the secret came from, never the secret.
 */
export function checkSecret(
  channel: ChannelConfig,
  secret: string,
  from: string,
  options: { readonly inLambda?: boolean } = {},
): void {
  const refuse = (what: string) =>
    new ConfigurationError(`alert channel "${channel.name}" (${channel.type}): ${from} ${what}`);
  if (channel.type === "telegram") {
    if (!/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/.test(secret))
      throw refuse("is not a Telegram bot token (digits:letters, from @BotFather)");
    return;
  }
  let url: URL;
  try {
    url = new URL(secret);
  } catch {
    throw refuse("is not a URL");
  }
  // An address written out (IPv4, IPv6, its mapped forms: [::ffff:127.0.0.1] reads as [::ffff:7f00:1]).
  const literal = isIP(url.hostname.replace(/^\[|\]$/g, "")) ? nonPublicKind(url.hostname) : undefined;
  const local = LOCAL_HOST.test(url.hostname) || literal?.startsWith("loopback") === true;
  if ((local || literal) && options.inLambda)
    throw refuse(
      `points at the machine itself (host ${url.hostname}${literal && !LOCAL_HOST.test(url.hostname) ? `, ${literal}` : ""}): not allowed in Lambda`,
    );
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) throw refuse("must be an https URL");
  const hosts: Partial<Record<ChannelType, RegExp>> = {
    discord: /^(discord\.com|discordapp\.com)$/,
    slack: /^hooks\.slack\.com$/,
  };
  const host = hosts[channel.type];
  if (host && !host.test(url.hostname) && !local)
    throw refuse(`is not a ${channel.type} webhook URL (host ${url.hostname})`);
}
