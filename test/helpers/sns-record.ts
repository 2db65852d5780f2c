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
