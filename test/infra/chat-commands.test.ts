import { describe, expect, it } from "vitest";
import { synthApp } from "../helpers/cdk-app.ts";

type Resource = { Type: string; Properties: Record<string, unknown> };
const CHANNEL = {
  name: "phone",
  type: "telegram",
  secretParameter: "/paper-trader/telegram-token",
  chatId: "123456789",
  commands: true,
  allowedChats: ["123456789", "987654321"],
  webhookSecretParameter: "/paper-trader/telegram-webhook",
};

describe("Telegram commands in the CDK app", () => {
  const { template } = synthApp({ alerts: { channels: [CHANNEL] } });
  const t = template();
  const commandsFn = () =>
    (Object.values(t.findResources("AWS::Lambda::Function")) as Resource[]).filter((f) =>
      JSON.stringify(f.Properties.Environment ?? {}).includes("telegram-commands"),
    );

  it("puts one function behind a function URL (the secret token is checked by the code), its URL an output", () => {
    expect(commandsFn()).toHaveLength(1);
    const urls = Object.values(t.findResources("AWS::Lambda::Url")) as Resource[];
    expect(urls.map((u) => u.Properties.AuthType)).toEqual(["NONE"]);
    expect(Object.keys(t.findOutputs("*"))).toContain("TelegramWebhookUrlphone");
  });

  it("grants exactly what the code calls: its two SSM parameters, the account table, the alerts topic", () => {
    const role = JSON.stringify(commandsFn()[0]?.Properties.Role);
    const policies = (Object.values(t.findResources("AWS::IAM::Policy")) as Resource[]).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(
        JSON.parse(role).Ref ?? JSON.parse(role)["Fn::GetAtt"]?.[0],
      ),
    );
    const statements = policies.flatMap(
      (p) =>
        (
          p.Properties.PolicyDocument as {
            Statement: { Sid?: string; Action: string | string[]; Resource: unknown }[];
          }
        ).Statement,
    );
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect(actions).toEqual(
      [
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sns:Publish",
        "ssm:GetParameter",
      ].sort(),
    );
    const ssm = JSON.stringify(statements.find((s) => s.Sid === "BotSecrets")?.Resource);
    expect(ssm).toContain("parameter/paper-trader/telegram-token");
    expect(ssm).toContain("parameter/paper-trader/telegram-webhook");
  });

  it("holds no token or secret, only the parameters' names", () => {
    const text = JSON.stringify(t.toJSON());
    expect(text).not.toMatch(/\d{6,}:[A-Za-z0-9_-]{30,}/);
    expect(text).toContain("/paper-trader/telegram-webhook");
  });

  it("makes no function without commands", () => {
    const { template: plain } = synthApp({
      alerts: {
        channels: [
          { ...CHANNEL, commands: false, allowedChats: undefined, webhookSecretParameter: undefined },
        ],
      },
    });
    expect(Object.keys(plain().findResources("AWS::Lambda::Url"))).toEqual([]);
  });
});
