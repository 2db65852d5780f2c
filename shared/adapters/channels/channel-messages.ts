import { ellipsis } from "../../application/cut-text.ts";
import type { ChannelEvent } from "../config/alert-channels.ts";

/** What every channel formats: the alert as the topic carries it (subject, text, attributes, id). */
export interface AlertData {
  readonly id: string;
  readonly subject: string;
  /** Lines for people; "Label: value" lines read as fields. */
  readonly message: string;
  readonly event: ChannelEvent;
  readonly symbol: string;
  readonly timeframe: string;
  readonly action: string;
}

const COLORS: Record<ChannelEvent, number> = {
  entry: 0x1565c0,
  exit: 0x2e7d32,
  failure: 0xc62828,
  signal: 0x6a1b9a,
  digest: 0x546e7a,
  alarm: 0xef6c00,
  protection: 0xf9a825,
  rebalance: 0x00838f,
};
const ICONS: Record<ChannelEvent, string> = {
  entry: "🟢",
  exit: "🔵",
  failure: "🔴",
  signal: "🟣",
  digest: "📋",
  alarm: "🚨",
  protection: "🛡️",
  rebalance: "⚖️",
};
/** An alarm back to OK reads as good news. */
const iconOf = (alert: AlertData) =>
  alert.event === "alarm" && alert.action === "OK" ? "✅" : ICONS[alert.event];
const colorOf = (alert: AlertData) =>
  alert.event === "alarm" && alert.action === "OK" ? COLORS.exit : COLORS[alert.event];

/** Telegram MarkdownV2: every one of _*[]()~`>#+-=|{}.! and the backslash escaped. */
const escapeMarkdownV2 = (text: string) => text.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, (c) => `\\${c}`);

/** Slack mrkdwn: &, < and > as entities (the only characters Slack asks to escape). */
const escapeSlack = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const cut = ellipsis;

/** Telegram takes at most 4,096 characters a message; a Discord embed at most 6,000 in all. */
export const TELEGRAM_MAX_CHARS = 4_096;
export const DISCORD_EMBED_MAX_CHARS = 6_000;

/**
 * Telegram's sendMessage body: the subject in bold, the lines, the alert id small, within 4,096
 * characters once escaped (escaping may double a text, so the message is cut before it is escaped
 * until the whole fits: an escape is never split).
 */
export function telegramMessage(chatId: string, alert: AlertData) {
  const compose = (budget: number) =>
    [
      `${iconOf(alert)} *${escapeMarkdownV2(cut(alert.subject, 200))}*`,
      "",
      escapeMarkdownV2(cut(alert.message, budget)),
      "",
      `_${escapeMarkdownV2(cut(alert.id, 200))}_`,
    ].join("\n");
  let budget = 3_500;
  let text = compose(budget);
  while (text.length > TELEGRAM_MAX_CHARS && budget > 1) {
    budget = Math.floor(budget * 0.8);
    text = compose(budget);
  }
  return { chat_id: chatId, text, parse_mode: "MarkdownV2", link_preview_options: { is_disabled: true } };
}

/** "Label: value" lines after the first become fields; the others the description. */
function fieldsOf(message: string) {
  const fields: { name: string; value: string }[] = [];
  const [first = "", ...rest] = message.split("\n");
  const prose: string[] = [first];
  for (const line of rest) {
    const match = /^([A-Z][A-Za-z0-9 ]{1,30}): (.+)$/.exec(line);
    if (match && fields.length < 20) fields.push({ name: match[1] as string, value: match[2] as string });
    else prose.push(line);
  }
  return { fields, prose: prose.join("\n") };
}

/** A Discord webhook body: one embed coloured by event, mentions off, within the embed's 6,000 characters. */
export function discordMessage(alert: AlertData) {
  const { fields, prose } = fieldsOf(alert.message);
  const title = cut(`${iconOf(alert)} ${alert.subject}`, 256);
  const footer = cut(alert.id, 256);
  let left = DISCORD_EMBED_MAX_CHARS - title.length - footer.length;
  const description = cut(prose || alert.subject, Math.min(4_000, left));
  left -= description.length;
  const kept: { name: string; value: string; inline: boolean }[] = [];
  for (const f of fields) {
    const field = { name: cut(f.name, 256), value: cut(f.value, 1_024), inline: false };
    if (field.name.length + field.value.length > left) break;
    left -= field.name.length + field.value.length;
    kept.push(field);
  }
  return {
    allowed_mentions: { parse: [] },
    embeds: [{ title, description, color: colorOf(alert), fields: kept, footer: { text: footer } }],
  };
}

/** A Slack incoming-webhook body: a header, the lines, the alert id as context; `text` for notifications. */
export function slackMessage(alert: AlertData) {
  return {
    text: cut(alert.subject, 3_000),
    blocks: [
      {
        type: "header",
        text: { type: "plain_text", text: cut(`${iconOf(alert)} ${alert.subject}`, 150) },
      },
      { type: "section", text: { type: "mrkdwn", text: cut(escapeSlack(alert.message), 3_000) } },
      { type: "context", elements: [{ type: "mrkdwn", text: escapeSlack(alert.id) }] },
    ],
  };
}

/** Any HTTPS webhook: the alert as JSON. */
export function webhookMessage(alert: AlertData) {
  const { id, ...rest } = alert;
  return { alertId: id, ...rest };
}
