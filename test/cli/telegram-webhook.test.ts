import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsApiEndpoint } from "../helpers/aws-api-endpoint.ts";
import { ChatTestServer, TELEGRAM_TOKEN } from "../helpers/chat-test-server.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

const URL_OUT = "https://abc123.lambda-url.us-east-1.on.aws/";
const dir = mkdtempSync(join(tmpdir(), "telegram-"));
const config = join(dir, "cdk.json");
writeFileSync(
  config,
  JSON.stringify({
    context: {
      tradingBot: {
        watchlist: [{ symbol: "BNBUSDT", timeframes: ["4h"] }],
        alerts: {
          channels: [
            {
              name: "phone",
              type: "telegram",
              secretParameter: "/p/token",
              chatId: "123",
              commands: true,
              webhookSecretParameter: "/p/hook",
            },
          ],
        },
      },
    },
  }),
);
let chat: ChatTestServer;
let aws: AwsApiEndpoint;

beforeAll(async () => {
  chat = await ChatTestServer.start();
  const secrets: Record<string, string> = { "/p/token": TELEGRAM_TOKEN, "/p/hook": "hook_secret-42" };
  aws = await AwsApiEndpoint.start((call, res) => {
    if (call.body.includes("Action=DescribeStacks")) {
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>FibonacciPaperTrader</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/x/1</StackId><CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs><member><OutputKey>TelegramWebhookUrlphone</OutputKey><OutputValue>${URL_OUT}</OutputValue></member></Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`,
      );
      return;
    }
    const { Name } = JSON.parse(call.body || "{}") as { Name?: string };
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify({ Parameter: { Name, Type: "SecureString", Value: secrets[Name ?? ""] } }));
  });
});
afterAll(async () => Promise.all([chat.close(), aws.close()]));

const env = () => ({
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_ENDPOINT_URL_CLOUDFORMATION: aws.url,
  AWS_ENDPOINT_URL_SSM: aws.url,
  TELEGRAM_API_URL: chat.url,
});

describe("npm run telegram -- --set-webhook", () => {
  it("registers the stack's webhook URL with the secret token from SSM", async () => {
    const run = await runCliAsync("telegram", ["--set-webhook", "--config", config], env());
    expect(run.status, run.stderr).toBe(0);
    expect(chat.webhook).toEqual({ url: URL_OUT, secret_token: "hook_secret-42" });
    expect(run.stdout).toBe(
      `Telegram sends the bot's updates for channel "phone" to ${URL_OUT} now, with the secret token.\n`,
    );
    expect(run.stdout + run.stderr).not.toContain(TELEGRAM_TOKEN);
  });

  it.each([
    [["--config", config], "Error: say what to do: --set-webhook (see --help)"],
    [
      ["--set-webhook", "--config", config, "--channel", "desk"],
      "Error: name the channel with --channel: phone",
    ],
    [
      ["--set-webhook", "--config", config, "--url", "http://x"],
      'Error: --url must be an https URL, got "http://x"',
    ],
  ])("refuses %j in one line, exit 2", async (args, line) => {
    const run = await runCliAsync("telegram", args, env());
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(line);
  });
});
