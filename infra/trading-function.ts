import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type { TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Topic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { Settings } from "../shared/adapters/config/settings.ts";
import { watchlistJson } from "../shared/adapters/config/watchlist.ts";
import { BUNDLED_SETTINGS, functionBundling } from "./bundle-options.ts";

/** Lambda allows 4 KB of environment variables in all; settings larger than this go into the bundle. */
export const SETTINGS_LIMIT = 3_500;

/** The settings as the function reads them: cdk.json's tradingBot, validated, defaults filled in. */
export function settingsJson(config: Settings): string {
  const { alertEmail: _email, alerts: _alerts, ...rest } = config.raw;
  return JSON.stringify({ ...rest, watchlist: JSON.parse(watchlistJson(config.pairs, config.accountId)) });
}

/** The DynamoDB actions the function's code calls, and nothing else. */
export const TABLE_ACTIONS = ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"] as const;

const ENTRY = new URL("../functions/trading-cycle/handler.ts", import.meta.url).pathname;

/**
 * The trading-cycle function: Node.js 24 on arm64, one minified ESM bundle with the AWS SDK in
 * it, retried twice when invoked asynchronously, failures kept in an encrypted queue.
 */
export class TradingFunction extends Construct {
  readonly function: NodejsFunction;
  readonly failureQueue: Queue;

  constructor(scope: Construct, id: string, props: { config: Settings; table: TableV2; topic: Topic }) {
    super(scope, id);
    const { config, table, topic } = props;
    // Small settings travel in TRADING_BOT (readable in the console); a large watchlist (about 30
    // entries and more) does not fit Lambda's 4 KB of variables and is built into the bundle.
    const settings = settingsJson(config);
    const inBundle = settings.length > SETTINGS_LIMIT;
    this.failureQueue = new Queue(this, "FailedCycles", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const logGroup = new LogGroup(this, "Logs", {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Least privilege: exactly what the code calls, on exactly its resources (see grants below).
    const role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description:
        "The trading-cycle function: its table, its alerts topic, its own log group, its failure queue",
    });
    logGroup.grantWrite(role);
    this.function = new NodejsFunction(this, "TradingCycle", {
      entry: ENTRY,
      role,
      handler: "handler",
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // Measured: a cycle takes ~0.1 s of work. The handler gives the work all but 10 s of the
      // remaining time (every Binance, DynamoDB and SNS call aborts at that deadline), then 8 s to
      // alert a failure, and keeps 2 s to return: a cycle ends, failure alerted, before Lambda kills it.
      memorySize: 256,
      timeout: Duration.seconds(40),
      logGroup,
      retryAttempts: 2,
      maxEventAge: Duration.hours(2),
      onFailure: new SqsDestination(this.failureQueue),
      environment: {
        TABLE_NAME: table.tableName,
        ALERT_TOPIC_ARN: topic.topicArn,
        ...(inBundle ? {} : { TRADING_BOT: settings }),
        POWERTOOLS_SERVICE_NAME: "trading-cycle",
        POWERTOOLS_METRICS_NAMESPACE: config.metricsNamespace,
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling: functionBundling(inBundle ? { [BUNDLED_SETTINGS]: JSON.stringify(settings) } : {}),
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: "AccountTable",
        // The repository's calls: GetItem, Query, PutItem, UpdateItem, DeleteItem, and
        // TransactWriteItems, which IAM authorises as the Put/Update/Delete it holds.
        actions: TABLE_ACTIONS.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ sid: "AlertTopic", actions: ["sns:Publish"], resources: [topic.topicArn] }),
    );
  }
}
