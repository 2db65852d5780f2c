import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelAlerts, localChannelSenders } from "../../cli/local/channel-alerts.ts";
import { BinanceStandIn } from "../../cli/stand-ins/binance-stand-in.ts";
import { parseAlertSettings } from "../../shared/adapters/config/alert-channels.ts";
import { ChatTestServer, SLACK_PATH, TELEGRAM_TOKEN } from "../helpers/chat-test-server.ts";
import { BUY, closeOf, hourlyCandles } from "../helpers/hourly-market.ts";
import { PROJECT_ROOT, runCliAsync } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "local-channels-"));
const configFile = join(dir, "cdk.json");

let binance: BinanceStandIn;
let chat: ChatTestServer;
beforeAll(async () => {
  binance = await BinanceStandIn.start();
  binance.serve("BNBUSDT", "1h", hourlyCandles);
  chat = await ChatTestServer.start();
  const alerts = {
    digestHourUtc: new Date(closeOf(BUY + 1)).getUTCHours(),
    channels: [
      { name: "phone", type: "telegram", secretParameter: "/paper-trader/telegram-token", chatId: "42" },
      { name: "desk", type: "slack", secretParameter: "/paper-trader/slack", events: ["failure"] },
      { name: "mail", type: "email", address: "me@example.com" },
    ],
  };
  const watchlist = [{ symbol: "BNBUSDT", timeframes: ["1h"] }];
  writeFileSync(configFile, JSON.stringify({ context: { tradingBot: { watchlist, alerts } } }));
});
afterAll(async () => {
  await binance.close();
  await chat.close();
});

const env = (secrets: Record<string, string>) => ({
  BINANCE_BASE_URL: binance.url,
  TRADER_CLOCK_START: new Date(closeOf(BUY) + 60_000).toISOString(),
  TELEGRAM_API_URL: chat.url,
  ...secrets,
});
const args = (dataDir: string) => [
  "--config",
  configFile,
  "--data-dir",
  dataDir,
  "--symbol",
  "BNBUSDT",
  "--timeframe",
  "1h",
];

describe("alert channels on one machine", () => {
  it("a trade's alert reaches the channels that take its event, secrets from ALERTS_<NAME>_SECRET", async () => {
    const run = await runCliAsync(
      "cycle",
      args(join(dir, "data-1")),
      env({ ALERTS_PHONE_SECRET: TELEGRAM_TOKEN, ALERTS_DESK_SECRET: `${chat.url}${SLACK_PATH}` }),
    );
    expect(run.stderr).toContain("── ALERT BUY BNBUSDT 1h");
    expect(run.status).toBe(0);
    const [message] = chat.to("telegram");
    expect(message?.body).toMatchObject({ chat_id: "42", parse_mode: "MarkdownV2" });
    expect(String(message?.body.text)).toContain("BUY BNBUSDT 1h: 0\\.783 @ 638\\.13 USDT \\(paper\\)");
    expect(chat.to("slack")).toEqual([]); // it takes failures only
  }, 30_000);

  it("names the missing secret's variable at start and opens nothing", async () => {
    const dataDir = join(dir, "data-2");
    const run = await runCliAsync(
      "cycle",
      args(dataDir),
      env({ ALERTS_DESK_SECRET: `${chat.url}${SLACK_PATH}` }),
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'Error: alert channel "phone" (telegram) needs its secret in the environment variable ALERTS_PHONE_SECRET when it runs on this machine (deployed, it is read from the SSM parameter /paper-trader/telegram-token)',
    );
    expect(existsSync(dataDir)).toBe(false);
    const malformed = await runCliAsync(
      "cycle",
      args(dataDir),
      env({ ALERTS_PHONE_SECRET: TELEGRAM_TOKEN, ALERTS_DESK_SECRET: "https://example.com/not-slack" }),
    );
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toContain(
      'alert channel "desk" (slack): the environment variable ALERTS_DESK_SECRET is not a slack webhook URL (host example.com)',
    );
    expect(malformed.stderr).not.toContain("not-slack");
    const start = await runCliAsync(
      "start",
      ["--config", configFile, "--data-dir", dataDir, "--once"],
      env({}),
    );
    expect(start.status).toBe(1);
    expect(start.stderr).toContain("ALERTS_PHONE_SECRET");
    expect(existsSync(dataDir)).toBe(false);
  }, 30_000);

  it("prints the daily digest as the channels get it, and npm start sends it at its hour", async () => {
    const secrets = { ALERTS_PHONE_SECRET: TELEGRAM_TOKEN, ALERTS_DESK_SECRET: `${chat.url}${SLACK_PATH}` };
    const status = await runCliAsync(
      "status",
      ["--config", configFile, "--data-dir", join(dir, "data-1"), "--digest"],
      env(secrets),
    );
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^Daily digest paper \d{4}-\d{2}-\d{2}: equity 9999\.50 USDT \(-0\.50\)\n/);
    expect(status.stdout).toContain("Open positions: 1\n  BNBUSDT 1h: 0.783 @ 638.13");
    expect(status.stdout).toContain("BUY BNBUSDT 1h 0.783 @ 638.13 (entry)");
    chat.reset();
    // npm start, its clock 30 minutes before the digest hour, running 600× faster: 3 s of real time
    // to start, enough on a loaded machine (a digest hour passed during the start is not caught up).
    const child = spawn(
      process.execPath,
      ["cli/start.ts", "--config", configFile, "--data-dir", join(dir, "data-1"), "--pretty"],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          ...env(secrets),
          TRADER_CLOCK_START: new Date(closeOf(BUY + 1) - 30 * 60_000).toISOString(),
          TRADER_CLOCK_SPEED: "600",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let printed = "";
    child.stdout.on("data", (c: Buffer) => {
      printed += c.toString("utf8");
    });
    try {
      const until = Date.now() + 20_000;
      while (!printed.includes("Daily digest of paper: sent") && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      expect(printed).toContain("Daily digest of paper: sent");
      const digests = chat.to("telegram").filter((r) => String(r.body.text).includes("Daily digest paper"));
      expect(digests).toHaveLength(1);
    } finally {
      child.kill("SIGINT");
      await new Promise((r) => child.on("close", r));
    }
  }, 40_000);

  it("a channel that refuses for good is reported and holds nothing back; one that is down keeps the alert for the next delivery", async () => {
    chat.reset();
    const channels = parseAlertSettings({
      channels: [{ name: "phone", type: "telegram", secretParameter: "/p/phone", chatId: "42" }],
    }).channels;
    const targets = localChannelSenders(channels, {
      ALERTS_PHONE_SECRET: TELEGRAM_TOKEN,
      TELEGRAM_API_URL: chat.url,
    });
    const rejected: string[] = [];
    const alerts = new ChannelAlerts(targets, undefined, (message) => rejected.push(message));
    const alert = (id: string) => ({
      id,
      subject: "BUY BNBUSDT 1h",
      message: "Paper trade",
      attributes: { event: "entry" as const, symbol: "BNBUSDT", timeframe: "1h", action: "BUY" },
    });
    chat.revoked = true;
    await alerts.publish(alert("a/1")); // resolves: the outbox moves on
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toContain('alert channel "phone" (telegram) answered HTTP 401');
    chat.revoked = false;
    chat.fail({ kind: "status", status: 503 }, 10, "telegram");
    await expect(alerts.publish(alert("a/2"))).rejects.toThrow(
      'alert channel "phone" (telegram) did not take alert a/2',
    );
    chat.reset();
    await alerts.publish(alert("a/2")); // the next delivery
    await alerts.publish(alert("a/2")); // a repeat: this channel had it
    expect(chat.to("telegram")).toHaveLength(1);
  }, 30_000);
});
