import { Match } from "aws-cdk-lib/assertions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { describe, expect, it } from "vitest";
import { TABLE_DEFINITION } from "../../shared/adapters/dynamodb/table-definition.ts";
import { synthApp } from "../helpers/cdk-app.ts";

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
  const { template } = synthApp({ watchlist: BIG_WATCHLIST, alertEmail: "ops@example.com" });
  const t = template();

  it("fires one invocation per pair at every close, at most five targets a rule", () => {
    const rules = Object.values(t.findResources("AWS::Events::Rule")) as Resource[];
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
          BINANCE_BASE_URL: "https://data-api.binance.vision",
          POWERTOOLS_METRICS_NAMESPACE: "FibonacciPaperTrader",
          ACCOUNT_ID: "paper",
          // The watchlist the function trades live, compact (Lambda allows 4 KB of variables).
          SCHEDULED_PAIRS: Match.stringLikeRegexp("^[A-Z0-9]+:1h/4h/1d(,[A-Z0-9]+:1h/4h/1d){11}$"),
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
    t.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email", Endpoint: "ops@example.com" });
  });

  it("grants the function its table and its topic only", () => {
    const policies = Object.values(t.findResources("AWS::IAM::Policy")) as Resource[];
    const statements = policies.flatMap(
      (p) =>
        (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
          .Statement,
    );
    for (const statement of statements) {
      const actions = [statement.Action].flat();
      const resources = JSON.stringify(statement.Resource);
      if (actions.some((a) => a.startsWith("dynamodb:"))) expect(resources).toMatch(/AccountTable/);
      else if (actions.some((a) => a.startsWith("sns:"))) {
        expect(actions).toEqual(["sns:Publish"]);
        expect(resources).toMatch(/AlertTopic/);
      } else expect(actions.every((a) => a.startsWith("sqs:"))).toBe(true); // the failure destination
      expect(resources).not.toBe('"*"');
    }
  });

  it("alarms on errors, throttles, failed cycles, unmanaged positions and a missing heartbeat per timeframe, to the topic", () => {
    const alarms = Object.values(t.findResources("AWS::CloudWatch::Alarm")) as Resource[];
    expect(alarms).toHaveLength(4 + 3);
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "UnmanagedPositions",
      Statistic: "Maximum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    for (const alarm of alarms) expect(JSON.stringify(alarm.Properties.AlarmActions)).toMatch(/AlertTopic/);
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "CycleSucceeded",
      Dimensions: Match.arrayWith([{ Name: "timeframe", Value: "4h" }]),
      Period: 28_800,
      EvaluationPeriods: 1,
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
    });
    t.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    for (const output of ["TableName", "AlertTopicArn", "FunctionName", "FailureQueueUrl"])
      t.hasOutput(output, {});
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
      "the pair BNBUSDT 4h is listed twice",
    ],
    [[], "must be a non-empty list"],
  ])("fails naming what is wrong (%#)", (watchlist, message) => {
    expect(() => synthApp({ watchlist })).toThrowError(message);
  });

  it("rejects risk settings the function would refuse", () => {
    expect(() => synthApp({ feeRate: "1.5" })).toThrowError("tradingBot.feeRate must be between 0 and 0.1");
    expect(() => synthApp({ alertEmail: "nobody" })).toThrowError(
      'tradingBot.alertEmail is not an e-mail address: "nobody"',
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
