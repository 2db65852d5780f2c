import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { synthApp } from "../helpers/cdk-app.ts";
import { fixtureCandles } from "../helpers/fixtures.ts";
import { LocalStack } from "../helpers/local-stack.ts";

const run = promisify(execFile);
type Resource = { Type: string; Properties: Record<string, unknown> };

/** Runs the bundle's handler once, in a fresh Node 24 process with only the function's environment. */
async function invokeBundle(bundle: string, env: Record<string, string>, event: unknown) {
  const out = join(mkdtempSync(join(tmpdir(), "invoke-")), "result.json");
  const script = `import { writeFileSync } from "node:fs";
    const { handler } = await import(${JSON.stringify(`file://${bundle}`)});
    const result = await handler(${JSON.stringify(event)}).catch((e) => ({ thrown: e.name + ": " + e.message }));
    writeFileSync(${JSON.stringify(out)}, JSON.stringify(result));`;
  await run(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH ?? "", ...env },
    timeout: 60_000,
  });
  return JSON.parse(readFileSync(out, "utf8"));
}

describe("the synthesized function bundle", () => {
  let stack: LocalStack;
  let bundle: string;
  let env: Record<string, string>;
  let scheduledTime: string;

  beforeAll(async () => {
    stack = await LocalStack.start();
    const outdir = mkdtempSync(join(tmpdir(), "cdk-out-"));
    const { app, stack: cdkStack } = synthApp({}, { bundle: true, outdir });
    const assembly = app.synth();
    const template = assembly.getStackByName(cdkStack.stackName).template as {
      Resources: Record<string, Resource>;
    };
    const [fnId, fn] =
      Object.entries(template.Resources).find(([, r]) => r.Type === "AWS::Lambda::Function") ?? [];
    if (!fnId || !fn) throw new Error("the template has no function");
    const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(".zip", "");
    bundle = join(outdir, `asset.${key}`, "index.mjs");
    expect(statSync(bundle).size).toBeGreaterThan(100_000);

    // The table, created from the template's own definition.
    const [tableId, table] =
      Object.entries(template.Resources).find(([, r]) => r.Type === "AWS::DynamoDB::GlobalTable") ?? [];
    const tableName = "synth-accounts";
    const raw = new DynamoDBClient(stack.dynamodb.clientConfig());
    await raw.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: table?.Properties.KeySchema as never,
        AttributeDefinitions: table?.Properties.AttributeDefinitions as never,
        BillingMode: table?.Properties.BillingMode as never,
      }),
    );
    raw.destroy();
    stack.tableName = tableName;

    // The function's environment from the template, references resolved to the local servers.
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const local = stack.env();
    env = {};
    for (const [name, value] of Object.entries(variables)) {
      const ref = (value as { Ref?: string }).Ref;
      if (ref === tableId) env[name] = tableName;
      else if (ref !== undefined) env[name] = local.ALERT_TOPIC_ARN as string;
      else env[name] = String(value);
    }
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(["TABLE_NAME", "ALERT_TOPIC_ARN", "TRADING_BOT"]),
    );
    env.BINANCE_BASE_URL = stack.binance.url; // the real Binance is not reachable from here: the variable overrides the setting
    for (const name of [
      "AWS_REGION",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_ENDPOINT_URL_DYNAMODB",
      "AWS_ENDPOINT_URL_SNS",
    ]) {
      env[name] = local[name] as string;
    }
    // The BUY candle is the one that closed last: the event is the one the schedule just fired.
    const scheduled = stack.serveUntil("BNBUSDT", "4h", fixtureCandles("BNBUSDT-4h"), 826);
    scheduledTime = scheduled(826);
  }, 120_000);
  afterAll(async () => stack.close());

  it("opens a position on the BUY window and alerts; the same event again changes nothing", async () => {
    const event = { symbol: "BNBUSDT", timeframe: "4h", scheduledTime };
    const first = await invokeBundle(bundle, env, event);
    expect(first).toMatchObject({ status: "ok", entry: { side: "BUY", quantity: "1.567", price: "638.13" } });
    expect(stack.sns.published.map((m) => m.attributes.event)).toEqual(["entry"]);
    const again = await invokeBundle(bundle, env, event);
    expect(again.status).toBe("duplicate");
    const repository = new DynamoDbAccountRepository({
      client: stack.dynamodb.documentClient(),
      tableName: stack.tableName,
    });
    expect((await repository.listTrades("paper")).items).toHaveLength(1);
    expect((await repository.loadState("paper"))?.account.balances.USDT?.toString()).toBe("8999.05034029");
    expect(stack.sns.published).toHaveLength(1);
  }, 60_000);

  it("names its errors in a failure, minified as it is", async () => {
    stack.binance.fail({ kind: "status", status: 503 }, 50);
    const failed = await invokeBundle(
      bundle,
      { ...env, BINANCE_CALL_TIMEOUT_MS: "1500" },
      { symbol: "BNBUSDT", timeframe: "1h" },
    );
    stack.binance.clearFaults();
    expect(failed.thrown).toMatch(/^CycleFailedError: BNBUSDT 1h: BinanceUnavailableError: Binance at http/);
    const invalid = await invokeBundle(bundle, env, { symbol: "BNBUSDT", timeframe: "4h", dryrun: true });
    expect(invalid.error).toEqual({
      type: "InvalidRequestError",
      message: expect.stringContaining('unknown field(s) "dryrun"'),
      retryable: false,
    });
  }, 60_000);
});
