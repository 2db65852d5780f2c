import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { awsAdvice } from "../../cli/aws-advice.ts";
import { AwsApiEndpoint } from "../helpers/aws-api-endpoint.ts";
import { runCliAsync, runCliScript } from "../helpers/run-cli.ts";

const RESULT = {
  status: "ok",
  dryRun: true,
  symbol: "BNBUSDT",
  timeframe: "4h",
  accountId: "paper",
  candle: { openTime: "2025-05-18T16:00:00.000Z", closeTime: "2025-05-18T20:00:00.000Z", close: 638.13 },
  signal: { action: "BUY", reason: "uptrend pullback into the golden zone", trend: "UPTREND" },
  exits: [],
  entry: {
    side: "BUY",
    quantity: "1.567",
    price: "638.13",
    quoteAmount: "999.94971",
    fee: "0.99994971",
    reason: "entry",
    candle: "2025-05-18T16:00:00.000Z",
  },
  position: null,
  durationMs: 90,
};
const STACK = `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>
<StackName>FibonacciPaperTrader</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/x/1</StackId>
<CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>
<Outputs><member><OutputKey>FunctionName</OutputKey><OutputValue>trader-fn-123</OutputValue></member></Outputs>
</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`;

let aws: AwsApiEndpoint;
let functionError = false;
/** A failed invocation whose payload is not JSON (Lambda's own text when the runtime died). */
let functionErrorText: string | undefined;
beforeAll(async () => {
  aws = await AwsApiEndpoint.start((call, res) => {
    if (call.body.includes("Action=DescribeStacks")) {
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(STACK);
    } else if (functionErrorText !== undefined) {
      res.writeHead(200, { "content-type": "application/json", "x-amz-function-error": "Unhandled" });
      res.end(functionErrorText);
    } else if (functionError) {
      res.writeHead(200, { "content-type": "application/json", "x-amz-function-error": "Unhandled" });
      res.end(
        JSON.stringify({
          errorType: "CycleFailedError",
          errorMessage: "BNBUSDT 4h: BinanceUnavailableError: down",
        }),
      );
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(RESULT));
    }
  });
});
afterAll(async () => aws.close());
beforeEach(() => {
  aws.calls.length = 0;
  functionError = false;
  functionErrorText = undefined;
});

const invoke = (args: string[]) =>
  runCliAsync("invoke", args, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_LAMBDA: aws.url,
    AWS_ENDPOINT_URL_CLOUDFORMATION: aws.url,
  });

describe("npm run invoke", () => {
  it("finds the function from the stack's output and dry-runs a cycle", async () => {
    const run = await invoke(["--symbol", "BNBUSDT", "--timeframe", "4h", "--dry-run"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("BNBUSDT 4h (dry run): ok");
    expect(run.stdout).toContain("entry:  BUY 1.567 @ 638.13 (entry), fee 0.99994971");
    const invocation = aws.calls.find((c) => c.path.includes("/invocations"));
    expect(invocation?.path).toBe("/2015-03-31/functions/trader-fn-123/invocations");
    expect(JSON.parse(invocation?.body ?? "{}")).toEqual({
      symbol: "BNBUSDT",
      timeframe: "4h",
      dryRun: true,
    });
  });

  it("dry-runs a rebalancing account with --rebalance, sending the rebalance event", async () => {
    const run = await invoke(["--rebalance", "basket", "--dry-run", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const invocation = aws.calls.find((c) => c.path.includes("/invocations"));
    expect(JSON.parse(invocation?.body ?? "{}")).toEqual({ rebalance: "basket", dryRun: true });
    const live = await invoke(["--rebalance", "basket"]);
    expect(live.status).toBe(2); // a live run asks first, as a cycle's
    for (const [args, line] of [
      [
        ["--rebalance", "basket", "--symbol", "BNBUSDT"],
        "Error: --symbol is for a pair's cycle; --rebalance names the account itself",
      ],
      [
        ["--rebalance", "a b"],
        'Error: --rebalance must name an account (letters, digits, - and _, at most 64), got "a b"',
      ],
    ] as const) {
      const refused = await invoke([...args, "--dry-run"]);
      expect(refused.status).toBe(2);
      expect(refused.stderr.trim()).toBe(line);
    }
  });

  it("prints the raw result with --json", async () => {
    const run = await invoke([
      "--symbol",
      "BNBUSDT",
      "--timeframe",
      "4h",
      "--dry-run",
      "--json",
      "--function-name",
      "named-fn",
    ]);
    expect(JSON.parse(run.stdout)).toEqual(RESULT);
    expect(aws.calls.map((c) => c.path)).toEqual(["/2015-03-31/functions/named-fn/invocations"]);
  });

  it("asks before a live cycle, and refuses without an answer", async () => {
    const run = await invoke(["--symbol", "BNBUSDT", "--timeframe", "4h"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      "not confirmed: pass --dry-run to decide without trading, or --yes to trade",
    );
    expect(aws.calls).toEqual([]);
  });

  it("reports a function error and exits non-zero", async () => {
    functionError = true;
    const run = await invoke(["--symbol", "BNBUSDT", "--timeframe", "4h", "--yes"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "The function failed (CycleFailedError): BNBUSDT 4h: BinanceUnavailableError: down",
    );
  });

  it.each([
    [
      "Runtime exited with error: signal: killed",
      "The function failed (Unhandled): Runtime exited with error: signal: killed",
    ],
    ["", "The function failed (Unhandled): no details"],
  ])("reads a function error before the payload, even one that is not JSON (%j)", async (text, line) => {
    functionErrorText = text;
    const run = await invoke(["--symbol", "BNBUSDT", "--timeframe", "4h", "--yes"]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(line);
  });

  it.each([
    [["--timeframe", "4h"], "--symbol is required"],
    [["--symbol", "BNBUSDT", "--timeframe", "5h"], "--timeframe must be one of 15m, 30m, 1h"],
    [["--symbol", "bnb", "--timeframe", "4h"], "--symbol must be a Binance symbol"],
    [
      ["--symbol", "BNBUSDT", "--timeframe", "4h", "--dryrun"],
      "Error: unknown option --dryrun (did you mean --dry-run?); see --help",
    ],
  ])("rejects bad arguments without calling AWS (%#)", async (args, message) => {
    const run = await invoke(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(aws.calls).toEqual([]);
  });
});

describe("npm run invoke without AWS set up", () => {
  it("says what to set, in one line, instead of the SDK's errors", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: "true" };
    for (const name of [
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
      "AWS_PROFILE",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
    ])
      delete env[name];
    const run = await runCliAsync("invoke", ["--symbol", "BNBUSDT", "--timeframe", "4h", "--dry-run"], {
      ...env,
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      "AWS: no AWS region: set AWS_REGION (e.g. AWS_REGION=eu-central-1) or a profile with one (AWS_PROFILE, aws configure) (README: Deploy to AWS; docs/deploy.md)",
    ]);
  });

  it.each([
    [
      Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      }),
      "no usable AWS credentials: set AWS_PROFILE",
    ],
    [new Error("getaddrinfo ENOTFOUND lambda.eu-central-1.amazonaws.com"), "AWS cannot be reached from here"],
    [new Error("Stack with id FibonacciPaperTrader does not exist"), "deploy first (npm run deploy)"],
  ])("explains the usual AWS errors (%#)", (error, advice) => {
    expect(awsAdvice(error)).toContain(advice);
  });
});

const empty = {
  AWS_REGION: "",
  AWS_DEFAULT_REGION: "",
  AWS_PROFILE: "",
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_CONFIG_FILE: "/nonexistent/config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
  AWS_EC2_METADATA_DISABLED: "true",
};

describe("a deployed table without AWS set up", () => {
  it.each([
    ["status", {}, "AWS: no AWS region: set AWS_REGION"],
    ["report", {}, "AWS: no AWS region: set AWS_REGION"],
    ["status", { AWS_REGION: "eu-central-1" }, "AWS: no usable AWS credentials: set AWS_PROFILE"],
  ])("npm run %s --table says what to set (%#)", async (command, env, advice) => {
    const run = await runCliAsync(command, ["--table", "PaperTrader"], { ...empty, ...env });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("DynamoDB table PaperTrader: could not read");
    expect(run.stderr).toContain(advice);
    expect(run.stderr).not.toContain("    at ");
    expect(run.stdout).toBe("");
  });
});

describe("npm run deploy without AWS set up", () => {
  it("says what to set in one line before CDK would fail to resolve the account", () => {
    const run = runCliScript("deploy-check", [], empty);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("AWS: nothing sets a region (AWS_REGION) and credentials");
    expect(run.stderr).toContain("npx cdk bootstrap");
    const ready = runCliScript("deploy-check", [], {
      ...empty,
      AWS_REGION: "eu-central-1",
      AWS_PROFILE: "me",
    });
    expect([ready.status, ready.stderr]).toEqual([0, ""]);
  });
});
