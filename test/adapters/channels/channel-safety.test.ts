import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertData } from "../../../shared/adapters/channels/channel-messages.ts";
import { ChannelRejectedError, ChannelSender } from "../../../shared/adapters/channels/channel-sender.ts";
import { checkSecret, parseAlertSettings } from "../../../shared/adapters/config/alert-channels.ts";
import { ConfigurationError } from "../../../shared/domain/errors.ts";

const ALERT: AlertData = {
  id: "paper/BNBUSDT/4h/2025-05-18T16:00:00.000Z/entry",
  subject: "BUY BNBUSDT 4h",
  message: "Paper trade: BUY",
  event: "entry",
  symbol: "BNBUSDT",
  timeframe: "4h",
  action: "BUY",
};
const channelOf = (c: Record<string, unknown>) => parseAlertSettings({ channels: [c] }).channels[0] as never;
const webhook = channelOf({ name: "ops", type: "webhook", secretParameter: "/p/hook" });
const discord = channelOf({ name: "team", type: "discord", secretParameter: "/p/discord" });

/** Two servers on loopback: the webhook, answering 307 to the other, which counts what reaches it. */
let hook: Server;
let elsewhere: Server;
let reached = 0;
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    reached++;
    req.resume();
    res.end("{}");
  });
  hook = createServer((req, res) => {
    req.resume();
    res.writeHead(307, { location: `${urlOf(elsewhere)}/stolen` });
    res.end();
  });
  await Promise.all([hook, elsewhere].map((s) => new Promise<void>((r) => s.listen(0, "127.0.0.1", r))));
});
afterAll(async () => {
  await Promise.all([hook, elsewhere].map((s) => new Promise<void>((r) => s.close(() => r()))));
});

const refusal = (channel: never, secret: string, inLambda: boolean) => {
  try {
    checkSecret(channel, secret, "the secret /p/x", { inLambda });
  } catch (error) {
    return error as Error;
  }
  return undefined;
};

describe("a channel cannot be turned against the machine or another host", () => {
  it("answers a redirect with a refusal: the alert is not re-posted where it points", async () => {
    const sender = new ChannelSender({ channel: webhook, secret: `${urlOf(hook)}/hook`, maxAttempts: 1 });
    const error = await sender.send(ALERT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelRejectedError);
    expect((error as Error).message).toBe(
      `alert channel "ops" (webhook) answered a redirect (HTTP 307): alerts are never re-posted elsewhere; put the final URL in the channel's secret`,
    );
    expect(reached).toBe(0);
  });

  it("in Lambda, refuses a URL on the machine itself (the runtime API on localhost:9001, the metadata service)", () => {
    for (const secret of [
      "http://localhost:9001/2018-06-01/runtime/invocation/next",
      "https://127.0.0.1/hook",
      "https://169.254.169.254/latest",
      "https://[::1]/hook",
    ]) {
      const error = refusal(webhook, secret, true);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error?.message).toMatch(/points at the machine itself \(host .+\): not allowed in Lambda$/);
    }
    expect(refusal(discord, "https://discord.com/api/webhooks/1/abc", true)).toBeUndefined();
  });

  it("outside Lambda (the local runner, its tests), takes plain http on this machine only", () => {
    expect(refusal(webhook, "http://127.0.0.1:8080/hook", false)).toBeUndefined();
    expect(refusal(discord, "http://localhost:8080/api/webhooks/1/abc", false)).toBeUndefined();
    expect(refusal(webhook, "http://example.com/hook", false)?.message).toContain("must be an https URL");
  });
});
