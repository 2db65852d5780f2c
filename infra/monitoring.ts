import { Duration } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { Topic } from "aws-cdk-lib/aws-sns";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { CYCLE_METRICS as M } from "../shared/application/cycle/index.ts";
import type { ScheduledTimeframe } from "../shared/domain/market/candle-schedule.ts";
import { timeframeMs } from "../shared/domain/market/timeframe.ts";

const DAY = 86_400;
/** CloudWatch evaluates at most 7 days of data for an alarm. */
const MAX_EVALUATION_SECONDS = 7 * DAY;

/**
 * Nine alarms (ten with notifier channels) and one dashboard, whatever the watchlist: within CloudWatch's always-free tier
 * (10 alarms, 3 dashboards). Every alarm notifies the operations topic (see StatefulResources).
 */
export class Monitoring extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    props: {
      fn: IFunction;
      opsTopic: Topic;
      failureQueue: Queue;
      /** The notifiers' undelivered alerts (none without Telegram/Discord/Slack/webhook channels). */
      undeliveredAlerts?: Queue | undefined;
      namespace: string;
      timeframes: readonly ScheduledTimeframe[];
    },
  ) {
    super(scope, id);
    const { fn, opsTopic, failureQueue, namespace } = props;
    const metric = (name: string, statistic = "Sum", period = Duration.minutes(5)) =>
      new Metric({
        namespace,
        metricName: name,
        dimensionsMap: { service: "trading-cycle" },
        statistic,
        period,
      });
    const alarm = (name: string, description: string, watched: IMetric, extra: Partial<AlarmShape> = {}) => {
      const created = new Alarm(this, name, {
        alarmDescription: description,
        metric: watched,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        ...extra,
      });
      created.addAlarmAction(new SnsAction(opsTopic));
      this.alarms.push(created);
    };

    alarm(
      "FunctionErrors",
      "The trading-cycle function failed: a retryable cycle failure, or a crash outside the cycle (cold start, configuration)",
      fn.metricErrors({ period: Duration.minutes(5) }),
    );
    alarm(
      "FunctionThrottles",
      "The trading-cycle function was throttled",
      fn.metricThrottles({ period: Duration.minutes(5) }),
    );
    alarm(
      "FailedCycles",
      "A new message in the failure queue: a cycle failed all its retries, or EventBridge could not invoke the function",
      failureQueue.metricNumberOfMessagesSent({ period: Duration.minutes(5) }),
    );
    alarm(
      "FailureDestinationUndelivered",
      "Lambda could not put a failed cycle into the failure queue",
      fn.metric("DestinationDeliveryFailures", { period: Duration.minutes(5), statistic: "Sum" }),
    );
    alarm("CycleFailures", "A cycle failed (its failure alert went to the alerts topic)", metric(M.failed));
    alarm("InvalidEvents", "The function was invoked with an event it refuses", metric(M.invalid));
    alarm(
      "AlertsNotSent",
      "An alert could not be sent (it waits in the outbox for the next delivery), or was set aside as a dead letter: refused by SNS, or tried too often (npm run status lists them)",
      metric(M.alertFailures),
    );
    alarm(
      "UnmanagedPositions",
      "An open position's pair left the watchlist: no schedule manages its stop and targets (npm run status lists it)",
      metric(M.unmanaged, "Maximum", Duration.hours(1)),
    );
    if (props.undeliveredAlerts) {
      alarm(
        "AlertsUndelivered",
        "A notifier could not deliver an alert to its channel (revoked token, deleted webhook, channel down): it waits in the undelivered-alerts queue",
        props.undeliveredAlerts.metricNumberOfMessagesSent({ period: Duration.minutes(5) }),
      );
    }
    // No live cycle succeeded within two periods of the shortest scheduled timeframe.
    const shortest = Math.min(...props.timeframes.map((t) => timeframeMs(t) / 1000));
    const window = Math.min(2 * shortest, MAX_EVALUATION_SECONDS);
    const period = Math.min(window, DAY);
    alarm(
      "Heartbeat",
      `No live cycle succeeded within ${window / 3600} hours`,
      metric(M.succeeded, "Sum", Duration.seconds(period)),
      {
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: Math.round(window / period),
        treatMissingData: TreatMissingData.BREACHING,
      },
    );

    const dashboard = new Dashboard(this, "Dashboard", { dashboardName: `${namespace}-cycles` });
    const hourly = (name: string, statistic = "Sum") => metric(name, statistic, Duration.hours(1));
    dashboard.addWidgets(
      new GraphWidget({
        title: "Cycles",
        left: [M.succeeded, M.failed, M.stale, M.duplicate, M.invalid].map((name) => hourly(name)),
        width: 12,
      }),
      new GraphWidget({
        title: "Fills and alerts",
        left: [hourly(M.fills), hourly(M.alertFailures), hourly(M.unmanaged, "Maximum")],
        width: 12,
      }),
      new GraphWidget({
        title: "Delay from candle close to cycle end (ms)",
        left: [hourly(M.delay, "Maximum")],
        width: 12,
      }),
      new GraphWidget({
        title: "Function and Binance weight",
        left: [fn.metricErrors(), fn.metricDuration({ statistic: "Maximum" })],
        right: [hourly(M.weight, "Maximum")],
        width: 12,
      }),
    );
  }
}

interface AlarmShape {
  comparisonOperator: ComparisonOperator;
  evaluationPeriods: number;
  treatMissingData: TreatMissingData;
}
