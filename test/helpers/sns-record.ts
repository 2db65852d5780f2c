import type { SnsRecord } from "../../shared/adapters/channels/notifier.ts";

/** One alert as SNS hands it to a notifier: the trading function's subject, text and attributes. */
export const snsRecord = (alertId: string, event = "entry"): SnsRecord & { EventSource: string } => ({
  EventSource: "aws:sns",
  Sns: {
    MessageId: "m-1",
    Subject: "BUY BNBUSDT 4h: 1.567 @ 638.13 USDT (paper)",
    Message: "Paper trade: BUY 1.567 BNB at 638.13 USDT (BNBUSDT, 4h).\nStop loss: 606.97",
    MessageAttributes: {
      event: { Type: "String", Value: event },
      symbol: { Type: "String", Value: "BNBUSDT" },
      timeframe: { Type: "String", Value: "4h" },
      action: { Type: "String", Value: "BUY" },
      alertId: { Type: "String", Value: alertId },
    },
  },
});

/** A CloudWatch alarm's notification as the operations topic hands it over (no message attributes). */
export const alarmRecord = (state = "ALARM", time = "2026-11-26T10:05:12.345+0000") => ({
  EventSource: "aws:sns",
  Sns: {
    MessageId: "m-alarm",
    Subject: `${state}: "FibonacciPaperTrader-MonitoringCyclesFailed" in EU (Frankfurt)`,
    Message: JSON.stringify({
      AlarmName: "FibonacciPaperTrader-MonitoringCyclesFailed",
      AlarmDescription: "A trading cycle failed (its failure alert went out once)",
      AWSAccountId: "123456789012",
      NewStateValue: state,
      NewStateReason:
        "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (26/11/26 10:00:00)] was greater than or equal to the threshold (1.0).",
      StateChangeTime: time,
      Region: "EU (Frankfurt)",
      AlarmArn:
        "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:FibonacciPaperTrader-MonitoringCyclesFailed",
      OldStateValue: state === "ALARM" ? "OK" : "ALARM",
      Trigger: { MetricName: "CyclesFailed", Namespace: "FibonacciPaperTrader", Statistic: "SUM" },
    }),
    MessageAttributes: {},
  },
});
