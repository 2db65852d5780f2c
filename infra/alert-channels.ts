import { Arn, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { SubscriptionFilter, type Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription, LambdaSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { ChannelConfig } from "../shared/adapters/config/alert-channels.ts";
import { functionBundling } from "./bundle-options.ts";

const ENTRY = new URL("../functions/alert-notifier/handler.ts", import.meta.url).pathname;

/**
 * Where alerts go besides the topic itself: an e-mail subscription per e-mail channel, and per
 * other channel (Telegram, Discord, Slack, webhook) a small notifier function subscribed to the
 * alert topic with the channel's filter policy (its events). A notifier reads its secret from SSM
 * Parameter Store (the parameter's name is all the template holds), retries inside its invocation,
 * and what it cannot deliver lands in one queue of undelivered alerts (alarmed in Monitoring).
 * A channel taking the "alarm" event is also subscribed to the operations topic, where the
 * CloudWatch alarms notify (their messages carry no attributes to filter on).
 */
export class AlertChannels extends Construct {
  readonly notifiers: NodejsFunction[] = [];
  /** Undelivered alerts of every notifier; absent when no channel needs a function. */
  readonly undelivered: Queue | undefined;

  constructor(
    scope: Construct,
    id: string,
    props: {
      channels: readonly ChannelConfig[];
      topic: Topic;
      opsTopic: Topic;
      logRetentionDays: number;
    },
  ) {
    super(scope, id);
    const { channels, topic, opsTopic } = props;
    const alertEvents = (channel: ChannelConfig) => channel.events.filter((e) => e !== "alarm");
    const filterOf = (channel: ChannelConfig) => ({
      event: SubscriptionFilter.stringFilter({ allowlist: alertEvents(channel) }),
    });
    const takesAlarms = (channel: ChannelConfig) => channel.events.includes("alarm");
    for (const channel of channels.filter((c) => c.type === "email")) {
      const address = channel.address as string;
      if (alertEvents(channel).length > 0)
        topic.addSubscription(new EmailSubscription(address, { filterPolicy: filterOf(channel) }));
      if (takesAlarms(channel)) opsTopic.addSubscription(new EmailSubscription(address));
    }
    const delivered = channels.filter((c) => c.type !== "email");
    if (delivered.length === 0) return;
    const undelivered = new Queue(this, "UndeliveredAlerts", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.undelivered = undelivered;
    for (const channel of delivered) {
      const name = `Notify-${channel.name}`;
      const logGroup = new LogGroup(this, `${name}-Logs`, {
        retention: props.logRetentionDays as RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = new Role(this, `${name}-Role`, {
        assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
        description: `The ${channel.type} notifier "${channel.name}": its SSM parameter, its log group, the undelivered-alerts queue`,
      });
      logGroup.grantWrite(role);
      const parameter = (channel.secretParameter as string).replace(/^\//, "");
      role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: "ChannelSecret",
          // A SecureString under the AWS managed key aws/ssm: SSM decrypts it for a caller IAM lets read it.
          actions: ["ssm:GetParameter"],
          resources: [
            Arn.format({ service: "ssm", resource: "parameter", resourceName: parameter }, Stack.of(this)),
          ],
        }),
      );
      const fn = new NodejsFunction(this, name, {
        entry: ENTRY,
        role,
        handler: "handler",
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: 128,
        // Room to honour a 429's retry-after of up to ~25 s and a few backoffs.
        timeout: Duration.seconds(40),
        logGroup,
        // Retries happen inside the invocation (backoff, retry-after); a failure goes to the queue once.
        retryAttempts: 0,
        onFailure: new SqsDestination(undelivered),
        environment: { CHANNEL: JSON.stringify(channel), NODE_OPTIONS: "--enable-source-maps" },
        bundling: functionBundling(),
      });
      if (alertEvents(channel).length > 0)
        topic.addSubscription(
          new LambdaSubscription(fn, { filterPolicy: filterOf(channel), deadLetterQueue: undelivered }),
        );
      if (takesAlarms(channel))
        opsTopic.addSubscription(new LambdaSubscription(fn, { deadLetterQueue: undelivered }));
      this.notifiers.push(fn);
    }
  }
}
