import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DynamoDbAccountControl } from "../../shared/adapters/dynamodb/dynamodb-account-control.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { AwsApiEndpoint } from "../helpers/aws-api-endpoint.ts";
import { ChatTestServer, TELEGRAM_TOKEN } from "../helpers/chat-test-server.ts";
import { fixtureCandles } from "../helpers/fixtures.ts";
import { LocalStack } from "../helpers/local-stack.ts";

const candles = fixtureCandles("BNBUSDT-4h");
const BUY = 826;
const STOPPED = 1035;
const SECRET = "s3cr3t-webhook-token_0123456789";
const ALLOWED = "111222333";
const SETTINGS = {
  watchlist: [
    { symbol: "BNBUSDT", timeframes: ["4h"], account: "chat" },
    { symbol: "BNBUSDT", timeframes: ["4h"], account: "race" },
    { symbol: "BNBUSDT", timeframes: ["4h"], account: "other" },
  ],
  accountId: "chat",
};
const CHANNEL = {
  name: "phone",
  type: "telegram",
  secretParameter: "/p/telegram-token",
  chatId: ALLOWED,
  commands: true,
  webhookSecretParameter: "/p/webhook-secret",
};

type Handler = (request: unknown) => Promise<{ statusCode: number }>;

describe("Telegram commands through the deployed webhook function (DynamoDB Local, Binance, SSM and Telegram on loopback)", () => {
  let stack: LocalStack;
  let chat: ChatTestServer;
  let ssm: AwsApiEndpoint;
  let scheduled: (index: number) => string;
  let webhook: Handler;
  let cycle: (event: unknown) => Promise<CycleResult>;
  let repository: DynamoDbAccountRepository;
  let updateId = 1_000;
  const replies = () =>
    chat.requests.filter((r) => r.path.endsWith("/sendMessage")).map((r) => String(r.body.text));
  const send = (text: string, options: { chatId?: string; secret?: string | null; update?: number } = {}) =>
    webhook({
      requestContext: { http: { method: "POST" } },
      headers: options.secret === null ? {} : { "x-telegram-bot-api-secret-token": options.secret ?? SECRET },
      body: JSON.stringify({
        update_id: options.update ?? ++updateId,
        message: { message_id: 1, chat: { id: Number(options.chatId ?? ALLOWED), type: "private" }, text },
      }),
    });
  const at = (index: number) => vi.setSystemTime(Date.parse(scheduled(index)) + 5_000);
  const runCycle = (index: number, accountId: string) => {
    at(index);
    return cycle({ symbol: "BNBUSDT", timeframe: "4h", scheduledTime: scheduled(index), accountId });
  };

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, "write").mockImplementation(() => true);
    [stack, chat] = await Promise.all([LocalStack.start(), ChatTestServer.start()]);
    const secrets: Record<string, string> = {
      "/p/telegram-token": TELEGRAM_TOKEN,
      "/p/webhook-secret": SECRET,
    };
    ssm = await AwsApiEndpoint.start((call, res) => {
      const { Name } = JSON.parse(call.body || "{}") as { Name?: string };
      const value = Name ? secrets[Name] : undefined;
      res.writeHead(value ? 200 : 400, { "content-type": "application/x-amz-json-1.1" });
      res.end(
        JSON.stringify(
          value
            ? { Parameter: { Name, Type: "SecureString", Value: value } }
            : { __type: "ParameterNotFound" },
        ),
      );
    });
    scheduled = stack.serveUntil("BNBUSDT", "4h", candles, STOPPED + 5);
    vi.useFakeTimers({ toFake: ["Date"] });
    stack.binance.now = () => Date.now();
    Object.assign(process.env, stack.env(), {
      TRADING_BOT: JSON.stringify(SETTINGS),
      CHANNEL: JSON.stringify(CHANNEL),
      TELEGRAM_API_URL: chat.url,
      AWS_ENDPOINT_URL_SSM: ssm.url,
    });
    vi.resetModules();
    ({ handler: webhook } = (await import("../../functions/telegram-commands/handler.ts")) as never);
    ({ handler: cycle } = (await import("../../functions/trading-cycle/handler.ts")) as never);
    repository = new DynamoDbAccountRepository({
      client: stack.dynamodb.documentClient(),
      tableName: stack.tableName,
    });
  }, 60_000);
  afterAll(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    await Promise.all([stack.close(), chat.close(), ssm.close()]);
  });
  beforeEach(() => {
    chat.requests.length = 0;
    stack.sns.published.length = 0;
  });

  it("refuses a forged or missing secret token and another chat, without effect or reply", async () => {
    at(BUY - 10);
    expect((await send("/pause all", { secret: "wrong" })).statusCode).toBe(401);
    expect((await send("/pause all", { secret: null })).statusCode).toBe(401);
    expect((await send("/pause all", { chatId: "999" })).statusCode).toBe(200);
    expect(replies()).toEqual([]);
    await runCycle(BUY - 10, "chat");
    expect((await repository.loadState("chat"))?.account.paused).toBeUndefined();
  });

  it("answers every command from the allowed chat, within Telegram's length", async () => {
    at(BUY - 9);
    for (const command of [
      "/help",
      "/status",
      "/balance",
      "/trades 3",
      "/profit",
      "/daily 2",
      "/performance",
      "/locks",
      "/health",
      "/report",
      "/account",
    ])
      expect((await send(command)).statusCode).toBe(200);
    const answers = replies();
    expect(answers).toHaveLength(11);
    expect(answers[0]).toContain("/forceexit <pair>");
    expect(answers[1]).toBe("Account chat: no open position.");
    expect(answers[2]).toMatch(
      /^Account chat: 10000 USDT\nEquity 10000\.00 USDT \(\+0\.00 % on 10000\.00\)$/,
    );
    expect(answers[8]).toMatch(
      /^Account chat: health at .+\nBNBUSDT 4h: last cycle for the candle that closed .+ \(4\.0 h ago\)\nFailed cycles kept: 0; alerts set aside: 0$/,
    );
    expect(answers[10]).toBe("This chat serves account chat; the watchlist's accounts: chat, race, other");
    expect(answers.every((a) => a.length <= 4_096)).toBe(true);
  });

  it("acts once on an update delivered twice", async () => {
    at(BUY - 8);
    await send("/balance", { update: 5_000 });
    await send("/balance", { update: 5_000 });
    expect(replies()).toHaveLength(1);
  });

  it("a paused account takes no entry on a BUY (one alert says why), and takes the next after /resume", async () => {
    at(BUY - 1);
    await send("/pause");
    expect(replies()[0]).toMatch(/^Paused: no new entries on account chat from .+ on\./);
    const paused = await runCycle(BUY, "chat");
    expect(paused.signal?.action).toBe("BUY");
    expect(paused.entry).toBeNull();
    expect(paused.entrySkipped).toMatch(
      /^paused by \/pause in Telegram chat 111222333 at .+ UTC \(the whole account\): no new entries until \/resume$/,
    );
    expect(stack.sns.published.filter((p) => p.attributes.action === "PAUSED").map((p) => p.subject)).toEqual(
      ["PAUSED: BUY signal BNBUSDT 4h not taken (account chat)"],
    );
    const events = await new DynamoDbAccountControl({
      client: stack.dynamodb.documentClient(),
      tableName: stack.tableName,
    }).controlEvents("chat", 5);
    expect(events[0]).toMatchObject({
      kind: "pause",
      target: "all",
      by: "/pause in Telegram chat 111222333",
    });
    await send("/resume all");
    expect(replies()[1]).toMatch(/^Resumed: new entries allowed again on account chat/);
    // The same BUY window, decided again now (a dry run): the entry is allowed again.
    at(BUY);
    const next = await cycle({
      symbol: "BNBUSDT",
      timeframe: "4h",
      scheduledTime: scheduled(BUY),
      accountId: "chat",
      dryRun: true,
    });
    expect(next.signal?.action).toBe("BUY");
    expect(next.entry?.side).toBe("BUY");
    expect((await repository.loadState("chat"))?.account.paused).toBeUndefined();
  });

  it("a /forceexit racing the cycle whose stop fills makes exactly one exit", async () => {
    expect((await runCycle(BUY, "race")).entry?.side).toBe("BUY");
    await send("/account race");
    at(STOPPED);
    const [stopped] = await Promise.all([
      cycle({ symbol: "BNBUSDT", timeframe: "4h", scheduledTime: scheduled(STOPPED), accountId: "race" }),
      send("/forceexit BNBUSDT 4h"),
    ]);
    expect(stopped.status).toBe("ok");
    const trades = (await repository.listTrades("race")).items;
    const exits = trades.filter((t) => t.side === "SELL");
    expect(exits).toHaveLength(1);
    expect(["stop", "forced-exit"]).toContain(exits[0]?.reason);
    const state = await repository.loadState("race");
    expect(state?.positions).toEqual([]);
    expect(state?.account.balances.BNB?.toFixed()).toBe("0");
    const reply = replies().at(-1) ?? "";
    if (exits[0]?.reason === "stop")
      expect(reply).toBe("No open position on BNBUSDT 4h of account race: nothing to exit.");
    else expect(reply).toMatch(/^Forced exit of BNBUSDT 4h: sold 1\.567 BNB at .+ USDT/);
    await send("/account chat");
  });

  it("takes hostile text as nothing: 10,000 characters, markup, another account's id", async () => {
    at(BUY + 2);
    const before = await repository.loadState("chat");
    for (const text of [
      `/pause ${"x".repeat(10_000)}`,
      "<b>/status</b> *_[]()~`>#+-=|{}.!",
      "/forceexit OTHERUSDT 4h",
      "/account nobody",
    ])
      expect((await send(text)).statusCode).toBe(200);
    const answers = replies();
    expect(answers).toHaveLength(4);
    expect(answers[0]).toMatch(/^account chat does not trade X{1,40}; its pairs: BNBUSDT 4h$/);
    expect(answers[1]).toBe("Not a command I know. /help lists them.");
    expect(answers[2]).toBe("account chat does not trade OTHERUSDT 4h; its pairs: BNBUSDT 4h");
    expect(answers[3]).toBe("No account nobody in the watchlist; its accounts: chat, race, other");
    expect((await repository.loadState("chat"))?.account.version).toBe(before?.account.version);
  });
});
