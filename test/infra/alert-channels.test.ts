import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { synthApp, synthThroughCdk } from "../helpers/cdk-app.ts";

const CHANNELS = [
  {
    name: "phone",
    type: "telegram",
    secretParameter: "/paper-trader/telegram-token",
    chatId: "123456789",
    events: ["entry", "exit", "failure", "digest"],
  },
  { name: "team", type: "discord", secretParameter: "/paper-trader/discord-webhook", events: ["signal"] },
  { name: "desk", type: "slack", secretParameter: "/paper-trader/slack-webhook" },
  { name: "hook", type: "webhook", secretParameter: "paper-trader-hook" },
  { name: "mail", type: "email", address: "me@example.com", events: ["failure", "digest", "alarm"] },
];
type Resource = { Type: string; Properties: Record<string, unknown> };

describe("alert channels in the CDK app", () => {
  const { template, app } = synthApp({ alerts: { channels: CHANNELS, digestHourUtc: 20 } });
  const t = template();
  const functions = () => Object.values(t.findResources("AWS::Lambda::Function")) as Resource[];
  const notifiers = () =>
    functions().filter((f) => JSON.stringify(f.Properties.Environment ?? {}).includes("CHANNEL"));

  it("gives each channel but e-mail a notifier function, subscribed with the channel's events as its filter policy", () => {
    expect(notifiers()).toHaveLength(4);
    const subscriptions = Object.values(t.findResources("AWS::SNS::Subscription")) as Resource[];
    const onTopic = (s: Resource, name: string) => JSON.stringify(s.Properties.TopicArn).includes(name);
    const lambda = subscriptions.filter(
      (s) => s.Properties.Protocol === "lambda" && onTopic(s, "AlertTopic"),
    );
    expect(lambda).toHaveLength(4);
    const policies = lambda.map((s) => JSON.stringify(s.Properties.FilterPolicy)).sort();
    expect(policies).toContain(JSON.stringify({ event: ["signal"] }));
    expect(policies).toContain(JSON.stringify({ event: ["entry", "exit", "failure", "digest"] }));
    expect(policies).toContain(
      JSON.stringify({ event: ["entry", "exit", "failure", "signal", "digest", "protection", "rebalance"] }),
    );
    // What SNS cannot hand to the function goes to the undelivered-alerts queue.
    for (const s of lambda) expect(JSON.stringify(s.Properties.RedrivePolicy)).toMatch(/UndeliveredAlerts/);
    t.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "me@example.com",
      FilterPolicy: { event: ["failure", "digest"] },
    });
  });

  it("sends the CloudWatch alarms to every channel taking the alarm event (the default), unfiltered", () => {
    const subscriptions = Object.values(t.findResources("AWS::SNS::Subscription")) as Resource[];
    const ops = subscriptions.filter((s) =>
      JSON.stringify(s.Properties.TopicArn).includes("OperationsTopic"),
    );
    // desk and hook take every event; phone and team chose theirs without "alarm"; mail chose it.
    expect(ops.map((s) => s.Properties.Protocol).sort()).toEqual(["email", "lambda", "lambda"]);
    for (const s of ops) expect(s.Properties.FilterPolicy).toBeUndefined();
    const notifierOf = (s: Resource) => JSON.stringify(s.Properties.Endpoint);
    expect(
      ops
        .filter((s) => s.Properties.Protocol === "lambda")
        .map(notifierOf)
        .join(),
    ).toMatch(/Notifydesk.*Notifyhook|Notifyhook.*Notifydesk/);
    for (const s of ops.filter((o) => o.Properties.Protocol === "lambda"))
      expect(JSON.stringify(s.Properties.RedrivePolicy)).toMatch(/UndeliveredAlerts/);
    expect(ops.find((s) => s.Properties.Protocol === "email")?.Properties.Endpoint).toBe("me@example.com");
  });

  it("holds only the secrets' parameter names; each notifier may read its own parameter and nothing else", () => {
    const text = JSON.stringify(t.toJSON());
    expect(text).not.toMatch(/\d{6,}:[A-Za-z0-9_-]{20,}|hooks\.slack\.com|discord\.com\/api\/webhooks/);
    for (const fn of notifiers()) {
      const env = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      const channel = JSON.parse(env.CHANNEL as string) as { secretParameter: string };
      expect(channel.secretParameter).toMatch(/paper-trader/);
      expect(fn.Properties.Runtime).toBe("nodejs24.x");
      expect(fn.Properties.MemorySize).toBe(128);
    }
    const statements = (Object.values(t.findResources("AWS::IAM::Policy")) as Resource[]).flatMap(
      (p) =>
        (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
          .Statement,
    );
    const ssm = statements.filter((s) => JSON.stringify(s.Action).includes("ssm:"));
    expect(ssm).toHaveLength(4);
    for (const s of ssm) expect(s.Action).toBe("ssm:GetParameter");
    const resources = ssm.map((s) => JSON.stringify(s.Resource)).sort();
    expect(resources.some((r) => r.includes(":parameter/paper-trader/telegram-token"))).toBe(true);
    expect(resources.some((r) => r.includes(":parameter/paper-trader-hook"))).toBe(true);
    // A notifier's role holds its parameter, its logs and the undelivered-alerts queue: no table, no topic.
    const notifierPolicies = (Object.values(t.findResources("AWS::IAM::Policy")) as Resource[]).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes("Notify"),
    );
    expect(notifierPolicies).toHaveLength(4);
    for (const policy of notifierPolicies) {
      const actions = (
        policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }
      ).Statement.flatMap((st) => [st.Action].flat());
      expect(actions.every((a) => /^(ssm:GetParameter|logs:|sqs:)/.test(a))).toBe(true);
    }
  });

  it("retries inside the invocation only; what fails lands in one queue whose alarm is the tenth", () => {
    t.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      MaximumRetryAttempts: 0,
      DestinationConfig: {
        OnFailure: {
          Destination: Match.objectLike({
            "Fn::GetAtt": [Match.stringLikeRegexp("UndeliveredAlerts"), "Arn"],
          }),
        },
      },
    });
    const alarms = Object.values(t.findResources("AWS::CloudWatch::Alarm")) as Resource[];
    expect(alarms).toHaveLength(10);
    expect(alarms.some((a) => JSON.stringify(a.Properties.Dimensions).includes("UndeliveredAlerts"))).toBe(
      true,
    );
  });

  it("sends the daily digest at the configured hour through the trading function", () => {
    t.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "cron(0 20 * * ? *)",
      // With the rule's time: the digest's day is the one it was scheduled for, however late it arrives.
      Targets: [
        Match.objectLike({
          InputTransformer: {
            InputPathsMap: { time: "$.time" },
            InputTemplate: '{"digest":true,"scheduledTime":<time>}',
          },
        }),
      ],
    });
  });

  it("passes cdk-nag with channels", () => {
    expect(() => app.synth()).not.toThrow();
  });

  it("has no digest rule and no notifier without the settings", () => {
    const plain = synthApp().template();
    expect(JSON.stringify(plain.toJSON())).not.toContain('{\\"digest\\":true}');
    expect(Object.keys(plain.findResources("AWS::SNS::Subscription"))).toHaveLength(0);
  });
});

describe("alert channel configuration at synth", () => {
  it.each([
    [
      [{ name: "x", type: "sms" }],
      'tradingBot.alerts.channels[0].type must be one of telegram, discord, slack, webhook, email, got "sms"',
    ],
    [
      [{ name: "x", type: "telegram", chatId: "1" }],
      "tradingBot.alerts.channels[0].secretParameter is required",
    ],
    [
      [
        {
          name: "x",
          type: "discord",
          secretParameter: "/p",
          webhookUrl: "https://discord.com/api/webhooks/1/abc",
        },
      ],
      "unknown key(s) in tradingBot.alerts.channels[0] (a discord channel): webhookUrl",
    ],
    [
      [{ name: "x", type: "telegram", secretParameter: "/p", chatId: "me" }],
      "tradingBot.alerts.channels[0].chatId must be a Telegram chat id",
    ],
    [
      [{ name: "x", type: "slack", secretParameter: "/p", events: ["trades"] }],
      "tradingBot.alerts.channels[0].events must be a non-empty list",
    ],
    [
      [{ name: "Team Chat", type: "slack", secretParameter: "/p" }],
      "tradingBot.alerts.channels[0].name must be 1-40 lower-case",
    ],
    [
      [
        { name: "x", type: "slack", secretParameter: "/p" },
        { name: "x", type: "discord", secretParameter: "/q" },
      ],
      'tradingBot.alerts.channels: the name "x" is used twice; names must be unique',
    ],
    [
      [
        { name: "a", type: "email", address: "me@example.com", events: ["failure"] },
        { name: "b", type: "email", address: "ME@example.com", events: ["digest"] },
      ],
      "tradingBot.alerts.channels[1]: the address ME@example.com has a channel already",
    ],
  ])("names the key (%#)", (channels, message) => {
    expect(() => synthApp({ alerts: { channels } })).toThrowError(message);
  });

  it("refuses an e-mail channel whose address alertEmail already subscribes, naming both keys", () => {
    const mail = { name: "mail", type: "email", address: "Me@example.com", events: ["failure"] };
    expect(() => synthApp({ alertEmail: "me@example.com", alerts: { channels: [mail] } })).toThrowError(
      "tradingBot.alerts.channels[0] is me@example.com, which tradingBot.alertEmail already subscribes to every alert and alarm: remove the channel, or alertEmail to keep the channel's events",
    );
  });

  it("says it in one line through cdk synth, no stack trace", () => {
    const run = synthThroughCdk({
      alerts: { channels: [{ name: "x", type: "telegram", chatId: "1" }], digestHourUtc: 25 },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("Error: tradingBot.alerts.digestHourUtc must be an hour 0-23");
  });
});
