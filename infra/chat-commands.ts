import { Arn, CfnOutput, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import type { TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, FunctionUrlAuthType, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Topic } from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import type { Settings } from "../shared/adapters/config/settings.ts";
import { BUNDLED_SETTINGS, functionBundling } from "./bundle-options.ts";
import { SETTINGS_LIMIT, settingsJson, TABLE_ACTIONS } from "./trading-function.ts";

const ENTRY = new URL("../functions/telegram-commands/handler.ts", import.meta.url).pathname;

/** The output naming a commands function's webhook URL (npm run telegram -- --set-webhook reads it). */
export const webhookOutput = (channel: string) => `TelegramWebhookUrl${channel.replace(/[^A-Za-z0-9]/g, "")}`;

/**
 * Per Telegram channel with `"commands": true`: a function behind a Lambda function URL that takes
 * Telegram's webhook (the function checks Telegram's secret-token header against an SSM parameter,
 * so the URL itself needs no IAM auth), reads and writes the account table (status, pause, forced
 * exit, the chat's memory), and publishes a forced exit's alert. No token or secret in the template:
 * only the parameters' names.
 */
export class ChatCommands extends Construct {
  readonly functions: NodejsFunction[] = [];

  constructor(scope: Construct, id: string, props: { config: Settings; table: TableV2; topic: Topic }) {
    super(scope, id);
    const { config, table, topic } = props;
    const settings = settingsJson(config);
    for (const channel of config.alerts.channels.filter((c) => c.type === "telegram" && c.commands)) {
      // The channel travels beside the settings: both within Lambda's 4 KB, or the settings go into the bundle.
      const inBundle = settings.length + JSON.stringify(channel).length > SETTINGS_LIMIT;
      const name = `Commands-${channel.name}`;
      const logGroup = new LogGroup(this, `${name}-Logs`, {
        retention: config.logRetentionDays as RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = new Role(this, `${name}-Role`, {
        assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
        description: `The Telegram commands of "${channel.name}": its two SSM parameters, the account table, the alerts topic, its log group`,
      });
      logGroup.grantWrite(role);
      const parameters = [channel.secretParameter, channel.webhookSecretParameter].map((p) =>
        Arn.format(
          { service: "ssm", resource: "parameter", resourceName: (p as string).replace(/^\//, "") },
          Stack.of(this),
        ),
      );
      role.addToPrincipalPolicy(
        new PolicyStatement({ sid: "BotSecrets", actions: ["ssm:GetParameter"], resources: parameters }),
      );
      role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: "AccountTable",
          actions: TABLE_ACTIONS.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
        }),
      );
      role.addToPrincipalPolicy(
        new PolicyStatement({ sid: "AlertTopic", actions: ["sns:Publish"], resources: [topic.topicArn] }),
      );
      const fn = new NodejsFunction(this, name, {
        entry: ENTRY,
        role,
        handler: "handler",
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: 256,
        timeout: Duration.seconds(20),
        logGroup,
        environment: {
          TABLE_NAME: table.tableName,
          ALERT_TOPIC_ARN: topic.topicArn,
          ...(inBundle ? {} : { TRADING_BOT: settings }),
          CHANNEL: JSON.stringify(channel),
          POWERTOOLS_SERVICE_NAME: "telegram-commands",
          NODE_OPTIONS: "--enable-source-maps",
        },
        bundling: functionBundling(inBundle ? { [BUNDLED_SETTINGS]: JSON.stringify(settings) } : {}),
      });
      const url = fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
      new CfnOutput(Stack.of(this), webhookOutput(channel.name), {
        value: url.url,
        description: `Telegram's webhook for the channel "${channel.name}": npm run telegram -- --set-webhook registers it`,
      });
      this.functions.push(fn);
    }
  }
}
