import { describe, expect, it } from "vitest";
import {
  DISCORD_EMBED_MAX_CHARS,
  discordMessage,
  TELEGRAM_MAX_CHARS,
  telegramMessage,
} from "../../../shared/adapters/channels/channel-messages.ts";

const huge = {
  id: "paper/BNBUSDT/1h/2026-01-05T14:00:00.000Z/failure",
  subject: `FAILED BNBUSDT 1h cycle: ${"E".repeat(500)}`,
  // Every character escaped by MarkdownV2 doubles: the worst case for Telegram.
  message: [
    `first line ${".".repeat(9_000)}`,
    ...Array.from({ length: 25 }, (_, i) => `Field ${i}: ${"v".repeat(2_000)}`),
  ].join("\n"),
  event: "failure",
  symbol: "BNBUSDT",
  timeframe: "1h",
  action: "FAILED",
} as const;

describe("channel messages stay within each channel's limits, whatever an alert holds", () => {
  it("Telegram: at most 4,096 characters once escaped, never ending in half an escape", () => {
    const { text } = telegramMessage("42", huge);
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_MAX_CHARS);
    expect(text.length).toBeGreaterThan(TELEGRAM_MAX_CHARS / 2); // cut, not emptied
    expect(text).toMatch(/_\n$|_$/); // the alert id closes it
    expect(text).not.toMatch(/(^|[^\\])\\\n/); // no escape split at a cut
  });

  it("Discord: one embed of at most 6,000 characters in all, as many fields as fit", () => {
    const [embed] = discordMessage(huge).embeds;
    const total =
      (embed?.title.length ?? 0) +
      (embed?.description.length ?? 0) +
      (embed?.footer.text.length ?? 0) +
      (embed?.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(DISCORD_EMBED_MAX_CHARS);
    expect(embed?.fields.length).toBeGreaterThan(0);
    expect(embed?.fields.length).toBeLessThan(25);
  });
});
