import { Duration } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { Topic } from "aws-cdk-lib/aws-sns";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { ScheduledTimeframe } from "../shared/domain/market/candle-schedule.ts";
import { timeframeMs } from "../shared/domain/market/timeframe.ts";

const DAY = 86_400;
/** CloudWatch evaluates at most 7 days of data for an alarm. */
const MAX_EVALUATION_SECONDS = 7 * DAY;

/** Alarms to the alerts topic and a dashboard of the cycles. */
export class Monitoring extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    props: {
      fn: IFunction;
      topic: Topic;
      failureQueue: Queue;
      namespace: string;
      timeframes: readonly ScheduledTimeframe[];
    },
  ) {
    super(scope, id);
    const { fn, topic, failureQueue, namespace } = props;
    const metric = (name: string, dimensions: Record<string, string> = {}, statistic = "Sum") =>
      new Metric({
        namespace,
        metricName: name,
        dimensionsMap: { service: "trading-cycle", ...dimensions },
        statistic,
        period: Duration.hours(1),
      });
    const alarm = (created: Alarm) => {
      created.addAlarmAction(new SnsAction(topic));
      this.alarms.push(created);
      return created;
    };

    alarm(
      fn.metricErrors({ period: Duration.minutes(5) }).createAlarm(this, "FunctionErrors", {
        alarmDescription: "The trading-cycle function failed (a cycle threw after its retries)",
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    alarm(
      fn.metricThrottles({ period: Duration.minutes(5) }).createAlarm(this, "FunctionThrottles", {
        alarmDescription: "The trading-cycle function was throttled",
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    alarm(
      failureQueue
        .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) })
        .createAlarm(this, "FailedCyclesQueued", {
          alarmDescription: "Cycles that failed all their retries are waiting in the failure queue",
          threshold: 1,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
    );
    alarm(
      new Alarm(this, "UnmanagedPositions", {
        alarmDescription:
          "An open position's pair left the watchlist: no schedule manages its stop and targets (npm run status lists it)",
        metric: metric("UnmanagedPositions", {}, "Maximum"),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const timeframe of props.timeframes) {
      // No successful cycle within two periods of the timeframe (capped at what CloudWatch evaluates).
      const window = Math.min((2 * timeframeMs(timeframe)) / 1000, MAX_EVALUATION_SECONDS);
      const period = Math.min(window, DAY);
      alarm(
        new Alarm(this, `Heartbeat${timeframe}`, {
          alarmDescription: `No successful ${timeframe} cycle within two ${timeframe} periods`,
          metric: new Metric({
            namespace,
            metricName: "CycleSucceeded",
            dimensionsMap: { service: "trading-cycle", timeframe },
            statistic: "Sum",
            period: Duration.seconds(period),
          }),
          threshold: 1,
          comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: Math.round(window / period),
          treatMissingData: TreatMissingData.BREACHING,
        }),
      );
    }

    const dashboard = new Dashboard(this, "Dashboard", { dashboardName: `${namespace}-cycles` });
    const perTimeframe = (name: string) => props.timeframes.map((timeframe) => metric(name, { timeframe }));
    dashboard.addWidgets(
      new GraphWidget({ title: "Cycles by timeframe", left: perTimeframe("Cycles"), width: 12 }),
      new GraphWidget({
        title: "Failures",
        left: [...perTimeframe("CycleFailures"), fn.metricErrors(), metric("AlertFailures")],
        width: 12,
      }),
      new GraphWidget({
        title: "Signals",
        left: ["BUY", "SELL", "HOLD"].map((action) => metric("Signals", { action })),
        width: 8,
      }),
      new GraphWidget({
        title: "Trades",
        left: [
          metric("Entries"),
          ...["stop", "tp1", "tp2", "signal"].map((reason) => metric("Exits", { reason })),
        ],
        width: 8,
      }),
      new SingleValueWidget({ title: "Equity (USDT)", metrics: [metric("Equity", {}, "Maximum")], width: 8 }),
      new GraphWidget({ title: "Equity (USDT)", left: [metric("Equity", {}, "Maximum")], width: 12 }),
      new GraphWidget({
        title: "Delay from candle close to cycle end (ms)",
        left: perTimeframe("CloseToCycleEndDelay"),
        width: 12,
      }),
    );
  }
}
