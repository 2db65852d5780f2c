import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AlertData } from "../../../shared/adapters/channels/channel-messages.ts";
import {
  ChannelRejectedError,
  ChannelSender,
  ChannelUnavailableError,
} from "../../../shared/adapters/channels/channel-sender.ts";
import { checkSecret, parseAlertSettings } from "../../../shared/adapters/config/alert-channels.ts";
import { ConfigurationError } from "../../../shared/domain/errors.ts";
import { ChatTestServer, DISCORD_PATH, SLACK_PATH, TELEGRAM_TOKEN } from "../../helpers/chat-test-server.ts";

const ALERT: AlertData = {
  id: "paper/BNBUSDT/4h/2025-05-18T16:00:00.000Z/entry",
  subject: "BUY BNBUSDT 4h: 1.567 @ 638.13 USDT (paper)",
  message: [
    "Paper trade: BUY 1.567 BNB at 638.13 USDT (BNBUSDT, 4h).",
    "Stop loss: 606.97",
    "Why: golden zone [0.5-0.618] hit, RSI < 30 & volume +20% (x2) #1 {a} | b ~ c > d = e! `f`",
  ].join("\n"),
  event: "entry",
  symbol: "BNBUSDT",
  timeframe: "4h",
  action: "BUY",
};

let server: ChatTestServer;
beforeAll(async () => {
  server = await ChatTestServer.start();
});
afterAll(async () => server.close());
beforeEach(() => server.reset());

const channelOf = (c: Record<string, unknown>) => parseAlertSettings({ channels: [c] }).channels[0] as never;
const telegram = channelOf({
  name: "phone",
  type: "telegram",
  secretParameter: "/p/telegram",
  chatId: "123456789",
});
const discord = channelOf({ name: "team", type: "discord", secretParameter: "/p/discord" });
const slack = channelOf({ name: "desk", type: "slack", secretParameter: "/p/slack" });
const webhook = channelOf({ name: "hook", type: "webhook", secretParameter: "/p/hook" });

function sender(channel: never, secret: string, extra: Record<string, unknown> = {}) {
  return new ChannelSender({
    channel,
    secret,
    telegramApi: server.url,
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    ...extra,
  });
}
const tg = (extra = {}) => sender(telegram, TELEGRAM_TOKEN, extra);

describe("alerts to Telegram, Discord, Slack and any webhook", () => {
  it("sends Telegram MarkdownV2 that Telegram's parser accepts, every reserved character escaped", async () => {
    await tg().send(ALERT);
    const [request] = server.to("telegram");
    expect(request?.body).toMatchObject({ chat_id: "123456789", parse_mode: "MarkdownV2" });
    expect(String(request?.body.text)).toContain("*BUY BNBUSDT 4h: 1\\.567 @ 638\\.13 USDT \\(paper\\)*");
    expect(String(request?.body.text)).toContain(
      "RSI < 30 & volume \\+20% \\(x2\\) \\#1 \\{a\\} \\| b \\~ c \\> d \\= e\\! \\`f\\`",
    );
  });

  it("takes a protection alert like any other: Telegram parses it, Discord colours it amber", async () => {
    const alert: AlertData = {
      id: "paper/BNBUSDT/4h/2025-06-22T12:00:00.000Z/maxDrawdown-account-engaged",
      subject: "PROTECTION ON: maximum drawdown, account paper",
      message: [
        "No new entries on account paper until 2025-06-23 16:00 UTC (exits keep running).",
        "Why: maximum drawdown: equity 8999.00 is 10.01 % below its peak of 10000.00 within the last 42 candles (limit 10 %); no new entries for 6 candles",
        "Candle closed: 2025-06-22 16:00 UTC",
      ].join("\n"),
      event: "protection",
      symbol: "BNBUSDT",
      timeframe: "4h",
      action: "ENGAGED",
    };
    await tg().send(alert);
    expect(String(server.to("telegram")[0]?.body.text)).toContain(
      "*PROTECTION ON: maximum drawdown, account paper*",
    );
    await sender(discord, `${server.url}${DISCORD_PATH}`).send(alert);
    const embed = (server.to("discord")[0]?.body.embeds as Record<string, unknown>[] | undefined)?.[0];
    expect(embed).toMatchObject({ color: 0xf9a825, footer: { text: alert.id } });
    expect(JSON.stringify(embed)).toContain("🛡️");
  });

  it("sends a Discord embed (fields from the 'Label: value' lines, mentions off) and Slack blocks", async () => {
    await sender(discord, `${server.url}${DISCORD_PATH}`).send(ALERT);
    const [d] = server.to("discord");
    expect(d?.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const embed = (d?.body.embeds as Record<string, unknown>[] | undefined)?.[0];
    expect(embed).toMatchObject({ color: 0x1565c0, footer: { text: ALERT.id } });
    expect(embed?.fields).toEqual([
      { name: "Stop loss", value: "606.97", inline: false },
      { name: "Why", value: expect.stringContaining("golden zone"), inline: false },
    ]);
    await sender(slack, `${server.url}${SLACK_PATH}`).send(ALERT);
    const [s] = server.to("slack");
    expect((s?.body.blocks as { type: string }[] | undefined)?.map((b) => b.type)).toEqual([
      "header",
      "section",
      "context",
    ]);
    expect(JSON.stringify(s?.body)).toContain("RSI &lt; 30 &amp; volume");
    await sender(webhook, `${server.url}/hooks/mine`).send(ALERT);
    expect(server.to("webhook")[0]?.body).toMatchObject({
      alertId: ALERT.id,
      event: "entry",
      symbol: "BNBUSDT",
    });
    expect(server.to("webhook")[0]?.headers["x-alert-id"]).toBe(ALERT.id);
  });

  it.each([
    ["telegram", () => tg()],
    ["discord", () => sender(discord, `${server.url}${DISCORD_PATH}`)],
    ["slack", () => sender(slack, `${server.url}${SLACK_PATH}`)],
  ] as const)("%s: waits as long as a 429 asks, then sends once", async (service, make) => {
    server.fail({ kind: "rate-limit", retryAfterSeconds: 1 }, 1, service);
    await make().send(ALERT);
    const requests = server.to(service);
    expect(requests).toHaveLength(2);
    expect((requests[1]?.at ?? 0) - (requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("reads at most 64 KB of a channel's answer: a 150 MB error body is not taken in", async () => {
    server.fail({ kind: "huge-body", bytes: 150_000_000 }, 1, "discord");
    const error = await sender(discord, `${server.url}${DISCORD_PATH}`, { maxAttempts: 1 })
      .send(ALERT)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("HTTP 500");
    // The server could write what the socket buffers hold, then the client stopped reading.
    expect(server.bodyBytesSent).toBeLessThan(16_000_000);
  });

  it("gives up at once when a 429 asks for longer than the time left, without waiting", async () => {
    server.fail({ kind: "rate-limit", retryAfterSeconds: 30 }, 1, "telegram");
    const error = await tg({ remainingMs: () => 10_000 })
      .send(ALERT)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelUnavailableError);
    expect((error as Error).message).toContain("rate limited (429), asked to wait 30 s");
    expect(server.to("telegram")).toHaveLength(1);
  });

  it("retries 5xx and resets with backoff, and sends once", async () => {
    server.fail({ kind: "status", status: 502 }, 1, "telegram").fail({ kind: "reset" }, 1, "telegram");
    await tg().send(ALERT);
    expect(server.to("telegram")).toHaveLength(3);
    server.reset();
    server.fail({ kind: "status", status: 503 }, 10, "discord");
    const error = await sender(discord, `${server.url}${DISCORD_PATH}`)
      .send(ALERT)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelUnavailableError);
    expect(server.to("discord")).toHaveLength(4); // maxAttempts, then the failure queue
  });

  it.each([
    ["telegram", () => tg(), TELEGRAM_TOKEN, "HTTP 401: Unauthorized: the token is wrong or was revoked"],
    ["discord", () => sender(discord, `${server.url}${DISCORD_PATH}`), DISCORD_PATH, "HTTP 401"],
    ["slack", () => sender(slack, `${server.url}${SLACK_PATH}`), SLACK_PATH, "HTTP 403"],
  ] as const)(
    "%s: a revoked token is a clear error, tried once (no retry storm), the token named nowhere",
    async (service, make, secret, message) => {
      server.revoked = true;
      const error = (await make()
        .send(ALERT)
        .catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(ChannelRejectedError);
      expect(error.message).toContain(message);
      expect(error.message).toContain("Check the secret in the SSM parameter /p/");
      expect(error.message).not.toContain(secret.split("/").at(-1) as string);
      expect(server.to(service)).toHaveLength(1);
    },
  );

  it("checks a secret before using it, naming the channel and never the secret", () => {
    expect(() => checkSecret(telegram, TELEGRAM_TOKEN, "x")).not.toThrow();
    for (const [channel, secret, message] of [
      [telegram, "not-a-token", "is not a Telegram bot token"],
      [discord, "https://example.com/api/webhooks/1/abc", "is not a discord webhook URL (host example.com)"],
      [slack, "hooks.slack.com/services/x", "is not a URL"],
      [webhook, "http://example.com/hook", "must be an https URL"],
    ] as const) {
      const error = (() => {
        try {
          checkSecret(channel, secret, "ALERTS_X_SECRET");
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error?.message).toContain(`alert channel "${(channel as { name: string }).name}"`);
      expect(error?.message).toContain(message);
      expect(error?.message).not.toContain(secret);
    }
  });
});
