import { Match } from "aws-cdk-lib/assertions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { describe, expect, it } from "vitest";
import { TABLE_DEFINITION } from "../../shared/adapters/dynamodb/table-definition.ts";
import { CYCLE_METRICS } from "../../shared/application/cycle/index.ts";
import { resourcesOf, synthApp, synthThroughCdk } from "../helpers/cdk-app.ts";

const SYMBOLS = ["BNB", "BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "TRX", "LINK", "DOT", "LTC", "AVAX"].map(
  (s) => `${s}USDT`,
);
const BIG_WATCHLIST = SYMBOLS.map((symbol) => ({ symbol, timeframes: ["1h", "4h", "1d"] }));
type Target = { InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string } };
type Resource = {
  Type: string;
  Properties: Record<string, unknown> & { Targets?: Target[]; ScheduleExpression?: string };
};

describe("the CDK app", () => {
  const { template, stack } = synthApp({ watchlist: BIG_WATCHLIST, alertEmail: "ops@example.com" });
  const t = template();
  const rulesOf = () => resourcesOf(stack, "AWS::Events::Rule") as Resource[];

  it("fires one invocation per pair at every close, at most five targets a rule", () => {
    const rules = rulesOf();
    expect(rules).toHaveLength(9); // 3 timeframes × ⌈12 / 5⌉
    const crons = new Set(rules.map((r) => r.Properties.ScheduleExpression));
    expect(crons).toEqual(new Set(["cron(0 * * * ? *)", "cron(0 0/4 * * ? *)", "cron(0 0 * * ? *)"]));
    const inputs = rules.flatMap((r) => {
      expect(r.Properties.Targets?.length).toBeLessThanOrEqual(5);
      return (r.Properties.Targets ?? []).map(({ InputTransformer: input }) => {
        expect(input.InputPathsMap).toEqual({ time: "$.time" });
        expect(input.InputTemplate).toContain('"scheduledTime":<time>');
        return {
          cron: r.Properties.ScheduleExpression,
          ...JSON.parse(input.InputTemplate.replace("<time>", '""')),
        };
      });
    });
    expect(inputs).toHaveLength(36);
    expect(new Set(inputs.map((i) => `${i.symbol} ${i.timeframe}`)).size).toBe(36);
    const cronOf = {
      "1h": "cron(0 * * * ? *)",
      "4h": "cron(0 0/4 * * ? *)",
      "1d": "cron(0 0 * * ? *)",
    } as Record<string, string>;
    expect(inputs.every((i) => i.cron === cronOf[i.timeframe])).toBe(true);
  });

  it("hands the function its settings as one variable, the same that cdk.json holds", () => {
    const [fn] = Object.values(t.findResources("AWS::Lambda::Function")) as Resource[];
    expect(fn).toBeDefined();
    const env = (fn as Resource).Properties.Environment as { Variables: Record<string, string> };
    const variables = env.Variables;
    expect(Object.keys(variables).sort()).toEqual([
      "ALERT_TOPIC_ARN",
      "NODE_OPTIONS",
      "POWERTOOLS_METRICS_NAMESPACE",
      "POWERTOOLS_SERVICE_NAME",
      "TABLE_NAME",
      "TRADING_BOT",
    ]);
    const settings = JSON.parse(variables.TRADING_BOT ?? "{}");
    expect(settings).toMatchObject({
      accountId: "paper",
      feeRate: "0.001",
      binanceBaseUrl: "https://data-api.binance.vision",
    });
    expect(settings.watchlist).toHaveLength(12);
    expect(settings.alertEmail).toBeUndefined(); // the function needs no e-mail address
  });

  it("runs the function on Node.js 24, arm64, retried twice, failures to an encrypted queue", () => {
    t.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      Timeout: 40,
      MemorySize: 256,
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: { Ref: Match.stringLikeRegexp("AccountTable") },
          ALERT_TOPIC_ARN: { Ref: Match.stringLikeRegexp("AlertTopic") },
          POWERTOOLS_METRICS_NAMESPACE: "FibonacciPaperTrader",
          // The settings as cdk.json's tradingBot writes them, validated, defaults filled in.
          TRADING_BOT: Match.stringLikeRegexp('"accountId":"paper"'),
        }),
      },
    });
    t.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 7200,
      DestinationConfig: {
        OnFailure: { Destination: { "Fn::GetAtt": [Match.stringLikeRegexp("FailedCycles"), "Arn"] } },
      },
    });
    t.hasResourceProperties("AWS::SQS::Queue", { SqsManagedSseEnabled: true });
    t.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
  });

  it("keeps the table and topic, built from the shared table definition", () => {
    t.hasResource("AWS::DynamoDB::GlobalTable", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: "HASH" },
          { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
    t.hasResource("AWS::SNS::Topic", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({ KmsMasterKeyId: Match.anyValue() }),
    });
    t.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    // alertEmail gets the trade alerts and the alarms.
    const email = Object.values(t.findResources("AWS::SNS::Subscription")).filter(
      (s) => s.Properties.Protocol === "email" && s.Properties.Endpoint === "ops@example.com",
    );
    expect(
      email.map((s) => JSON.stringify(s.Properties.TopicArn).match(/AlertTopic|OperationsTopic/)?.[0]).sort(),
    ).toEqual(["AlertTopic", "OperationsTopic"]);
  });

  it("grants the function exactly what its code calls, on its own resources, and no managed policy", () => {
    const policies = Object.values(t.findResources("AWS::IAM::Policy")) as Resource[];
    const statements = policies.flatMap(
      (p) =>
        (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
          .Statement,
    );
    const granted = statements.map((s) => [[s.Action].flat().sort().join(" "), JSON.stringify(s.Resource)]);
    expect(granted.map(([actions]) => actions).sort()).toEqual([
      "dynamodb:DeleteItem dynamodb:GetItem dynamodb:PutItem dynamodb:Query dynamodb:UpdateItem",
      "logs:CreateLogStream logs:PutLogEvents",
      "sns:Publish",
      "sqs:GetQueueAttributes sqs:GetQueueUrl sqs:SendMessage", // the failure destination
    ]);
    const resourceOf = (prefix: string) => granted.find(([actions]) => actions?.startsWith(prefix))?.[1];
    expect(resourceOf("dynamodb:")).toMatch(/AccountTable/);
    expect(resourceOf("logs:")).toMatch(/TradingLogs/);
    expect(resourceOf("sns:")).toMatch(/AlertTopic/);
    expect(resourceOf("sqs:")).toMatch(/FailedCycles/);
    for (const role of Object.values(t.findResources("AWS::IAM::Role")) as Resource[])
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("has nine alarms, each able to notify: an unencrypted operations topic CloudWatch may publish to", () => {
    const alarms = Object.values(t.findResources("AWS::CloudWatch::Alarm")) as Resource[];
    expect(alarms).toHaveLength(9);
    for (const alarm of alarms)
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toMatch(/OperationsTopic/);
    const [opsTopic] = Object.values(
      t.findResources("AWS::SNS::Topic", { Properties: { DisplayName: "Paper trader alarms" } }),
    ) as Resource[];
    expect(opsTopic?.Properties.KmsMasterKeyId).toBeUndefined();
    t.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: Match.stringLikeRegexp("OperationsTopic") }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
          }),
        ]),
      },
    });
    // One heartbeat: live successes within two periods of the shortest timeframe (1h here).
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "CyclesSucceeded",
      Dimensions: [{ Name: "service", Value: "trading-cycle" }],
      Period: 7_200,
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
    });
    // The failure queue alarm fires on new messages, not on ones still waiting.
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "NumberOfMessagesSent",
      Namespace: "AWS/SQS",
    });
    t.hasResourceProperties("AWS::CloudWatch::Alarm", { MetricName: "DestinationDeliveryFailures" });
    for (const name of ["InvalidEvents", "AlertFailures", "CyclesFailed", "UnmanagedPositions"])
      t.hasResourceProperties("AWS::CloudWatch::Alarm", { MetricName: name });
    t.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    for (const output of [
      "TableName",
      "AlertTopicArn",
      "OperationsTopicArn",
      "FunctionName",
      "FailureQueueUrl",
    ])
      t.hasOutput(output, {});
  });

  it("sends what EventBridge cannot deliver to the failure queue", () => {
    const rules = rulesOf();
    expect(rules).toHaveLength(9);
    for (const rule of rules) {
      for (const target of rule.Properties.Targets as { DeadLetterConfig?: { Arn: unknown } }[])
        expect(JSON.stringify(target.DeadLetterConfig?.Arn)).toMatch(/FailedCycles/);
    }
  });

  it("stays within the free tier's 10 alarms and 10 metrics whatever the watchlist", () => {
    const every = ["15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "1w"];
    const watchlist = Array.from({ length: 25 }, (_, i) => ({ symbol: `COIN${i}USDT`, timeframes: every }));
    const big = synthApp({ watchlist }).template();
    const alarms = Object.values(big.findResources("AWS::CloudWatch::Alarm")) as Resource[];
    expect(alarms.length).toBeLessThanOrEqual(10);
    const custom = alarms.filter((a) => a.Properties.Namespace === "FibonacciPaperTrader");
    for (const alarm of custom) expect(Object.values(CYCLE_METRICS)).toContain(alarm.Properties.MetricName);
  });
});

describe("configuration validation at synth", () => {
  it.each([
    [[{ symbol: "BNBUSDT", timeframes: ["5h"] }], 'unknown timeframe "5h" for BNBUSDT'],
    [[{ symbol: "bnb-usdt", timeframes: ["4h"] }], '"bnb-usdt" is not a Binance symbol'],
    [
      [
        { symbol: "BNBUSDT", timeframes: ["4h"] },
        { symbol: "BNBUSDT", timeframes: ["1h", "4h"] },
      ],
      "BNBUSDT 4h is traded twice by account paper",
    ],
    [[], "must be a non-empty list"],
  ])("fails naming what is wrong (%#)", (watchlist, message) => {
    expect(() => synthApp({ watchlist })).toThrowError(message);
  });

  it.each([
    [{ watchlist: "[]" }, "Error: tradingBot.watchlist must be a non-empty list"],
    [{ watchlist: "notjson" }, "Error: tradingBot.watchlist is not JSON: notjson"],
    [{ feeRate: "2" }, "Error: tradingBot.feeRate must be at least 0 and at most 0.1"],
    // A typo is not silently ignored; the known keys are named.
    [
      { maxOpenPosition: "5" },
      'Error: unknown context key(s) "maxOpenPosition"; known: tradingBot, stackName, research, watchlist, rebalancing',
    ],
    // JSON text for tradingBot itself is parsed, not read as a string's characters ("0, 1, 2 …").
    [{ tradingBot: '{"accountId":"x","nope":1}' }, "Error: unknown key(s) in tradingBot: nope; known:"],
    [
      { tradingBot: "{accountId" },
      'Error: tradingBot must be a JSON object such as {"accountId": "paper"}, got {accountId',
    ],
  ])("says what is wrong in one line through cdk synth -c, no stack trace (%#)", (override, line) => {
    const run = synthThroughCdk(override);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(run.stderr.trim().split("\n")[0]);
    expect(run.stderr).toContain(line);
  });

  it("takes tradingBot as JSON text through cdk synth -c", () => {
    const run = synthThroughCdk({
      tradingBot: '{"accountId":"desk","watchlist":[{"symbol":"ETHUSDT","timeframes":["4h"]}]}',
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("rejects risk settings the function would refuse", () => {
    expect(() => synthApp({ feeRate: "1.5" })).toThrowError(
      "tradingBot.feeRate must be at least 0 and at most 0.1",
    );
    expect(() => synthApp({ alertEmail: "nobody" })).toThrowError(
      'tradingBot.alertEmail must be an e-mail address, got "nobody"',
    );
    expect(() => synthApp({ risk: { protections: { maxDrawdown: { pct: 10 } } } })).toThrowError(
      "tradingBot.risk.protections.maxDrawdown.lookbackCandles must be a whole number from 1 to 10000, got undefined",
    );
  });
});

describe("cdk-nag", () => {
  it("finds no unacknowledged error in the app", () => {
    const { app } = synthApp();
    expect(() => app.synth()).not.toThrow();
  });

  it("would stop the synth on a finding nobody acknowledged", () => {
    const { app, stack } = synthApp();
    new Queue(stack, "UnencryptedQueue", { encryption: QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrowError(/Validation failed|AwsSolutions/);
  });
});
