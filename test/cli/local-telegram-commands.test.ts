import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinanceStandIn } from "../../cli/stand-ins/binance-stand-in.ts";
import { ChatTestServer, TELEGRAM_TOKEN } from "../helpers/chat-test-server.ts";
import { BUY, closeOf, hourlyCandles } from "../helpers/hourly-market.ts";
import { PROJECT_ROOT } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "local-commands-"));
const configFile = join(dir, "cdk.json");
let binance: BinanceStandIn;
let chat: ChatTestServer;

beforeAll(async () => {
  binance = await BinanceStandIn.start();
  binance.serve("BNBUSDT", "1h", hourlyCandles);
  chat = await ChatTestServer.start();
  const channels = [
    {
      name: "phone",
      type: "telegram",
      secretParameter: "/p/token",
      chatId: "42",
      commands: true,
      webhookSecretParameter: "/p/hook",
    },
  ];
  writeFileSync(
    configFile,
    JSON.stringify({
      context: {
        tradingBot: { watchlist: [{ symbol: "BNBUSDT", timeframes: ["1h"] }], alerts: { channels } },
      },
    }),
  );
});
afterAll(async () => Promise.all([binance.close(), chat.close()]));

describe("Telegram commands on one machine (npm start long-polls getUpdates)", () => {
  it("answers the allowed chat's commands from the same code, another chat's not at all", async () => {
    const child = spawn(
      process.execPath,
      ["cli/start.ts", "--config", configFile, "--data-dir", join(dir, "data"), "--pretty"],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          BINANCE_BASE_URL: binance.url,
          TELEGRAM_API_URL: chat.url,
          ALERTS_PHONE_SECRET: TELEGRAM_TOKEN,
          TRADER_CLOCK_START: new Date(closeOf(BUY) + 60_000).toISOString(),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let printed = "";
    child.stdout.on("data", (c: Buffer) => {
      printed += c.toString("utf8");
    });
    const replies = () =>
      chat.requests.filter((r) => r.path.endsWith("/sendMessage") && !String(r.body.text).startsWith("*"));
    try {
      const until = Date.now() + 30_000;
      while (!printed.includes("answering Telegram commands") && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      expect(printed).toContain(
        'answering Telegram commands of channel "phone" (long poll; /help lists them)',
      );
      chat.updates.push(
        { update_id: 7, message: { chat: { id: 99 }, text: "/pause all" } },
        { update_id: 8, message: { chat: { id: 42 }, text: "/balance" } },
      );
      while (replies().length < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(replies().map((r) => [r.body.chat_id, r.body.text])).toEqual([
        // The runner waits for the next close: its first cycle has not opened the account yet.
        ["42", "No paper account paper yet: its first cycle opens it."],
      ]);
    } finally {
      child.kill("SIGINT");
      await new Promise((resolve) => child.on("exit", resolve));
    }
    expect(printed).toContain("Stopped.");
  }, 60_000);
});
