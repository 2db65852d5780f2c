import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertData } from "../../../shared/adapters/channels/channel-messages.ts";
import { ChannelRejectedError, ChannelSender } from "../../../shared/adapters/channels/channel-sender.ts";
import { publicOnlyFetch } from "../../../shared/adapters/channels/pinned-fetch.ts";
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
      "https://[::ffff:127.0.0.1]:8443/hook",
      "https://[::ffff:169.254.169.254]/latest",
      "https://[::ffff:a9fe:a9fe]/latest",
      "https://[fe80::1]/hook",
      "https://10.0.0.5/hook",
      "https://[64:ff9b::7f00:1]/hook",
    ]) {
      const error = refusal(webhook, secret, true);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error?.message).toMatch(/points at the machine itself \(host .+\): not allowed in Lambda$/);
    }
    expect(refusal(discord, "https://discord.com/api/webhooks/1/abc", true)).toBeUndefined();
  });

  it("in Lambda, connects only to the public address a name resolves to: a name resolving to this machine or a private network is refused, before any request", async () => {
    const resolving =
      (address: string, family = 4) =>
      async () => [{ address, family }];
    const hits = reached;
    for (const [address, family] of [
      ["127.0.0.1", 4],
      ["::ffff:127.0.0.1", 6],
      ["169.254.169.254", 4],
      ["fd00::7", 6],
    ] as const) {
      const guarded = publicOnlyFetch(resolving(address, family));
      const error = await guarded("https://hooks.example.com/x", { method: "POST", body: "{}" }).catch(
        (e: unknown) => e,
      );
      expect(String((error as Error).cause ?? error)).toContain(`hooks.example.com resolves to ${address} (`);
      expect(String((error as Error).cause ?? error)).toContain("): not allowed in Lambda");
    }
    const literal = await publicOnlyFetch()("http://[::ffff:7f00:1]:9/x").catch((e: unknown) => e);
    expect((literal as Error).message).toBe(
      "[::ffff:7f00:1] is loopback (as IPv6 mapped): not allowed in Lambda",
    );
    expect(reached).toBe(hits);
  });

  it("the guarded fetch connects to the address it checked, not to the name (a test rule allowing loopback)", async () => {
    const port = new URL(urlOf(elsewhere)).port;
    const before = reached;
    const guarded = publicOnlyFetch(
      async (name) => (name === "chat.example" ? [{ address: "127.0.0.1", family: 4 }] : []),
      () => undefined,
    );
    const response = await guarded(`http://chat.example:${port}/x`, { method: "POST", body: "{}" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("{}");
    expect(reached).toBe(before + 1);
  });

  it("outside Lambda (the local runner, its tests), takes plain http on this machine only", () => {
    expect(refusal(webhook, "http://127.0.0.1:8080/hook", false)).toBeUndefined();
    expect(refusal(discord, "http://localhost:8080/api/webhooks/1/abc", false)).toBeUndefined();
    expect(refusal(webhook, "http://example.com/hook", false)?.message).toContain("must be an https URL");
  });
});
