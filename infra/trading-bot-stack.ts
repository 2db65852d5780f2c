import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { Settings } from "../shared/adapters/config/settings.ts";
import { AlertChannels } from "./alert-channels.ts";
import { ChatCommands } from "./chat-commands.ts";
import { CycleSchedules } from "./cycle-schedules.ts";
import { Monitoring } from "./monitoring.ts";
import { StatefulResources } from "./stateful-resources.ts";
import { TradingFunction } from "./trading-function.ts";

/** The whole paper trader: stateful resources apart from the function, its schedules and alarms. */
export class TradingBotStack extends Stack {
  /** Rules the event bus allows (the deploy-limits check counts the stack's against it). */
  readonly ruleQuota: number;

  constructor(scope: Construct, id: string, props: StackProps & { config: Settings }) {
    super(scope, id, props);
    const { config } = props;
    this.ruleQuota = config.ruleQuota;
    const stateful = new StatefulResources(this, "Stateful", { alertEmail: config.alertEmail });
    const trading = new TradingFunction(this, "Trading", {
      config,
      table: stateful.table,
      topic: stateful.topic,
    });
    new CycleSchedules(this, "Schedules", {
      pairs: config.pairs,
      baskets: config.rebalancing,
      target: trading.function,
      deadLetterQueue: trading.failureQueue,
      digestHourUtc: config.alerts.digestHourUtc,
      ruleQuota: config.ruleQuota,
    });
    const channels = new AlertChannels(this, "AlertChannels", {
      channels: config.alerts.channels,
      topic: stateful.topic,
      opsTopic: stateful.opsTopic,
      logRetentionDays: config.logRetentionDays,
    });
    new ChatCommands(this, "ChatCommands", { config, table: stateful.table, topic: stateful.topic });
    new Monitoring(this, "Monitoring", {
      undeliveredAlerts: channels.undelivered,
      fn: trading.function,
      opsTopic: stateful.opsTopic,
      failureQueue: trading.failureQueue,
      namespace: config.metricsNamespace,
      timeframes: [...new Set(config.pairs.map((p) => p.timeframe))],
    });
    new CfnOutput(this, "TableName", { value: stateful.table.tableName });
    new CfnOutput(this, "AlertTopicArn", { value: stateful.topic.topicArn });
    new CfnOutput(this, "OperationsTopicArn", { value: stateful.opsTopic.topicArn });
    new CfnOutput(this, "FunctionName", { value: trading.function.functionName });
    new CfnOutput(this, "FailureQueueUrl", { value: trading.failureQueue.queueUrl });
  }
}
