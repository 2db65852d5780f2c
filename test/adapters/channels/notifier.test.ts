import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { discordMessage } from "../../../shared/adapters/channels/channel-messages.ts";
import { alertOfRecord, Notifier } from "../../../shared/adapters/channels/notifier.ts";
import { parseAlertSettings } from "../../../shared/adapters/config/alert-channels.ts";
import { ChatTestServer, TELEGRAM_TOKEN } from "../../helpers/chat-test-server.ts";
import { alarmRecord, snsRecord } from "../../helpers/sns-record.ts";

let server: ChatTestServer;
beforeAll(async () => {
  server = await ChatTestServer.start();
});
afterAll(async () => server.close());
beforeEach(() => server.reset());

const channel = parseAlertSettings({
  channels: [{ name: "phone", type: "telegram", secretParameter: "/p/telegram", chatId: "42" }],
}).channels[0] as never;

const record = (id: string) => snsRecord(id);

describe("the notifier's secret", () => {
  it("is read once while the channel takes it, and read again after the channel refused it (a rotated token)", async () => {
    const stored = ["123456789:OLDrevokedTokenOLDrevokedTokenOLDrev", TELEGRAM_TOKEN];
    let reads = 0;
    const notifier = new Notifier(channel, async () => stored[Math.min(reads++, 1)] as string, {
      telegramApi: server.url,
      backoffBaseMs: 1,
    });
    await expect(notifier.deliver([record("a/1")])).rejects.toThrow(/answered HTTP 401/);
    expect(reads).toBe(1);
    // The parameter now holds the new token: the next delivery reads it and goes through.
    expect(await notifier.deliver([record("a/1")])).toEqual(["sent"]);
    expect(await notifier.deliver([record("a/2")])).toEqual(["sent"]);
    expect(reads).toBe(2);
    expect(server.to("telegram")).toHaveLength(3);
  });

  it("is kept when the channel is only down: a 5xx does not read the parameter again", async () => {
    let reads = 0;
    const notifier = new Notifier(
      channel,
      async () => {
        reads++;
        return TELEGRAM_TOKEN;
      },
      { telegramApi: server.url, backoffBaseMs: 1, maxAttempts: 2 },
    );
    server.fail({ kind: "status", status: 503 }, 2, "telegram");
    await expect(notifier.deliver([record("b/1")])).rejects.toThrow(/HTTP 503/);
    expect(await notifier.deliver([record("b/1")])).toEqual(["sent"]);
    expect(reads).toBe(1);
  });
});

describe("a CloudWatch alarm on a channel", () => {
  it("reads as an alert for people: state, since when, why, what to do; OK as good news", () => {
    const alert = alertOfRecord(alarmRecord());
    expect(alert).toMatchObject({
      event: "alarm",
      action: "ALARM",
      subject: "ALARM: FibonacciPaperTrader-MonitoringCyclesFailed",
      id: "alarm/FibonacciPaperTrader-MonitoringCyclesFailed/ALARM/2026-11-26T10:05:12.345+0000",
    });
    expect(alert.message.split("\n")).toEqual([
      "A trading cycle failed (its failure alert went out once)",
      "State: OK → ALARM",
      "Since: 2026-11-26 10:05 UTC",
      "Why: Threshold Crossed: 1 out of the last 1 datapoints [1.0 (26/11/26 10:00:00)] was greater than or equal to the threshold (1.0).",
      "Region: EU (Frankfurt)",
      "What to do: docs/operations.md lists each alarm, what it means and what to check.",
    ]);
    expect(discordMessage(alert).embeds[0]?.title).toBe(
      "🚨 ALARM: FibonacciPaperTrader-MonitoringCyclesFailed",
    );
    const ok = alertOfRecord(alarmRecord("OK"));
    expect(discordMessage(ok).embeds[0]?.title).toBe("✅ OK: FibonacciPaperTrader-MonitoringCyclesFailed");
    expect(ok.id).not.toBe(alert.id);
  });

  it("leaves any other message without attributes as it was (a failure, its text as sent)", () => {
    const alert = alertOfRecord({ Sns: { Subject: "Hello", Message: '{"note": "not an alarm"}' } });
    expect(alert).toMatchObject({ event: "failure", subject: "Hello", message: '{"note": "not an alarm"}' });
  });
});
