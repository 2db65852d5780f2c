import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AwsApiEndpoint } from "../helpers/aws-api-endpoint.ts";
import { synthApp } from "../helpers/cdk-app.ts";
import { ChatTestServer, DISCORD_PATH, TELEGRAM_TOKEN } from "../helpers/chat-test-server.ts";
import { alarmRecord, snsRecord } from "../helpers/sns-record.ts";

const run = promisify(execFile);
type Resource = { Type: string; Properties: Record<string, unknown> };

const CHANNELS = [
  { name: "phone", type: "telegram", secretParameter: "/paper-trader/telegram-token", chatId: "123456789" },
  {
    name: "team",
    type: "discord",
    secretParameter: "/paper-trader/discord-webhook",
    events: ["signal", "failure"],
  },
];

/** An SNS event as Lambda hands it to a subscribed function. */
const snsEvent = (alertId: string, event = "entry") => ({ Records: [snsRecord(alertId, event)] });

describe("the synthesized notifier bundle, in a fresh Node 24 process", () => {
  let chat: ChatTestServer;
  let ssm: AwsApiEndpoint;
  const bundles: Record<string, { file: string; env: Record<string, string> }> = {};

  beforeAll(async () => {
    chat = await ChatTestServer.start();
    const secrets: Record<string, string> = {
      "/paper-trader/telegram-token": TELEGRAM_TOKEN,
      "/paper-trader/discord-webhook": `${chat.url}${DISCORD_PATH}`,
    };
    // SSM's JSON protocol: GetParameter answers the decrypted SecureString.
    ssm = await AwsApiEndpoint.start((call, res) => {
      const { Name } = JSON.parse(call.body || "{}") as { Name?: string };
      const value = Name ? secrets[Name] : undefined;
      res.writeHead(value ? 200 : 400, { "content-type": "application/x-amz-json-1.1" });
      res.end(
        JSON.stringify(
          value
            ? { Parameter: { Name, Type: "SecureString", Value: value, Version: 1 } }
            : { __type: "ParameterNotFound" }, // SSM names no parameter and says nothing more
        ),
      );
    });
    const outdir = mkdtempSync(join(tmpdir(), "cdk-out-"));
    const { app, stack } = synthApp({ alerts: { channels: CHANNELS } }, { bundle: true, outdir });
    const template = app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<string, Resource>;
    };
    for (const fn of Object.values(template.Resources).filter((r) => r.Type === "AWS::Lambda::Function")) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      if (!variables.CHANNEL) continue;
      const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(".zip", "");
      const name = (JSON.parse(variables.CHANNEL) as { name: string }).name;
      bundles[name] = {
        file: join(outdir, `asset.${key}`, "index.mjs"),
        env: {
          ...variables,
          AWS_REGION: "us-east-1",
          AWS_ACCESS_KEY_ID: "local",
          AWS_SECRET_ACCESS_KEY: "local",
          AWS_ENDPOINT_URL_SSM: ssm.url,
          TELEGRAM_API_URL: chat.url,
        },
      };
    }
  }, 120_000);
  afterAll(async () => {
    await chat.close();
    await ssm.close();
  });
  beforeEach(() => chat.reset());

  /** Runs the handler on each event in turn in one process (one container); returns results and what it printed. */
  async function invoke(name: string, events: unknown[], env: Record<string, string> = {}) {
    const bundle = bundles[name] as { file: string; env: Record<string, string> };
    const out = join(mkdtempSync(join(tmpdir(), "notify-")), "results.json");
    const script = `import { writeFileSync } from "node:fs";
      const { handler } = await import(${JSON.stringify(`file://${bundle.file}`)});
      const context = { getRemainingTimeInMillis: () => 30000 };
      const results = [];
      for (const event of ${JSON.stringify(events)})
        results.push(await handler(event, context).catch((e) => ({ thrown: e.name + ": " + e.message })));
      writeFileSync(${JSON.stringify(out)}, JSON.stringify(results));`;
    const { stdout, stderr } = await run(process.execPath, ["--input-type=module", "-e", script], {
      env: { PATH: process.env.PATH ?? "", ...bundle.env, ...env },
      timeout: 60_000,
    });
    return {
      results: JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>[],
      printed: stdout + stderr,
    };
  }

  it("reads its secret from SSM once, delivers, and drops a repeat of the same alertId", async () => {
    const { results, printed } = await invoke("phone", [snsEvent("a/1"), snsEvent("a/1"), snsEvent("a/2")]);
    expect(results).toEqual([
      { sent: 1, repeats: 0 },
      { sent: 0, repeats: 1 },
      { sent: 1, repeats: 0 },
    ]);
    expect(chat.to("telegram")).toHaveLength(2);
    expect(ssm.calls.filter((c) => c.body.includes("telegram-token"))).toHaveLength(1);
    expect(printed).not.toContain(TELEGRAM_TOKEN);
    const discord = await invoke("team", [snsEvent("a/3", "failure")]);
    expect(discord.results).toEqual([{ sent: 1, repeats: 0 }]);
    expect(chat.to("discord")[0]?.body.embeds).toBeDefined();
  });

  it("throws what it cannot deliver, once, naming the channel and never the token", async () => {
    chat.revoked = true;
    const { results, printed } = await invoke("phone", [snsEvent("a/4")]);
    expect(results[0]?.thrown).toContain(
      'ChannelRejectedError: alert channel "phone" (telegram) answered HTTP 401',
    );
    expect(chat.to("telegram")).toHaveLength(1);
    expect(printed).toContain('"level":"ERROR"');
    expect(printed).not.toContain(TELEGRAM_TOKEN);
    expect(printed).not.toContain(TELEGRAM_TOKEN.split(":")[1]);
    const discord = await invoke("team", [snsEvent("a/5", "failure")]);
    expect(discord.printed).not.toContain(DISCORD_PATH.split("/").at(-1));
  });

  it("names a secret parameter that does not exist and how to put it there, then reads again at the next alert", async () => {
    const missing = { ...CHANNELS[0], secretParameter: "/paper-trader/not-there" };
    const { results, printed } = await invoke("phone", [snsEvent("a/6"), snsEvent("a/6")], {
      CHANNEL: JSON.stringify(missing),
    });
    for (const result of results)
      expect(result.thrown).toBe(
        "SecretUnreadableError: the SSM parameter /paper-trader/not-there does not exist in this account and region: put the channel's secret there (aws ssm put-parameter --type SecureString --name /paper-trader/not-there …; docs/alert-channels.md)",
      );
    expect(printed).toContain('"level":"ERROR"');
    expect(ssm.calls.filter((c) => c.body.includes("not-there")).length).toBeGreaterThanOrEqual(2);
    expect(chat.to("telegram")).toEqual([]);
  });

  it("delivers a CloudWatch alarm from the operations topic, once", async () => {
    const alarm = { Records: [alarmRecord()] };
    const { results } = await invoke("phone", [alarm, alarm]);
    expect(results).toEqual([
      { sent: 1, repeats: 0 },
      { sent: 0, repeats: 1 },
    ]);
    const [message] = chat.to("telegram");
    expect(String(message?.body.text)).toContain("🚨 *ALARM: FibonacciPaperTrader\\-MonitoringCyclesFailed*");
    expect(String(message?.body.text)).toContain("Since: 2026\\-11\\-26 10:05 UTC");
  });

  it("in Lambda, refuses a channel URL on the machine itself (the runtime API listens there)", async () => {
    const { results } = await invoke("team", [snsEvent("c/1", "signal")], {
      AWS_LAMBDA_FUNCTION_NAME: "notifier",
    });
    expect(String(results[0]?.thrown)).toMatch(
      /^ConfigurationError: alert channel "team" \(discord\): the secret \/paper-trader\/discord-webhook points at the machine itself \(host 127\.0\.0\.1\): not allowed in Lambda$/,
    );
    expect(chat.to("discord")).toHaveLength(0);
  }, 60_000);

  it("holds no DynamoDB client: a small bundle", () => {
    const text = readFileSync(bundles.phone?.file as string, "utf8");
    expect(text).not.toContain("DynamoDBClient");
    expect(statSync(bundles.phone?.file as string).size).toBeLessThan(400_000);
  });
});
