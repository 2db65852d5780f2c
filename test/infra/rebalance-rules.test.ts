import { describe, expect, it } from "vitest";
import { resourcesOf, synthApp, synthThroughCdk } from "../helpers/cdk-app.ts";

type Rule = {
  Properties: {
    Name: string;
    Description: string;
    ScheduleExpression: string;
    Targets: { InputTransformer: { InputTemplate: string } }[];
  };
};
const BASKET = {
  accountId: "basket",
  symbols: ["BTCUSDT", "ETHUSDT"],
  weighting: "equal",
  timeframe: "1w",
  every: 2,
  bandPct: 5,
};

describe("a rebalancing account in the CDK app", () => {
  it("gets one rule firing at its scheduled times, not every close, sending the rebalance event with the rule's time", () => {
    const daily = { ...BASKET, accountId: "daily", timeframe: "1h", every: 24, hourUtc: 12 };
    const { stack } = synthApp({ rebalancing: [BASKET, daily] });
    const rules = (resourcesOf(stack, "AWS::Events::Rule") as Rule[]).filter((r) =>
      JSON.stringify(r.Properties.Name).includes("rebalance"),
    );
    expect(rules).toHaveLength(2);
    const [fortnightly, noon] = rules;
    // Every other Monday: the rule fires every Monday and the function holds on the others.
    expect(fortnightly?.Properties.ScheduleExpression).toBe("cron(0 0 ? * MON *)");
    expect(fortnightly?.Properties.Description).toBe(
      "Rebalances account basket at every 2nd 1w close (fires Mondays at 00:00 UTC; holds at the others)",
    );
    // Daily at noon on hourly candles: one invocation a day, not 24.
    expect(noon?.Properties.ScheduleExpression).toBe("cron(0 12 * * ? *)");
    expect(noon?.Properties.Description).toBe(
      "Rebalances account daily at every 24th 1h close, counted from 12:00 UTC",
    );
    const template = fortnightly?.Properties.Targets[0]?.InputTransformer.InputTemplate ?? "";
    expect(JSON.parse(template.replace("<time>", '""'))).toEqual({ rebalance: "basket", scheduledTime: "" });
  });

  it("refuses a basket larger than one transaction at synth, naming the limit", () => {
    const symbols = Array.from({ length: 100 }, (_, i) => `S${String(i).padStart(3, "0")}USDT`);
    const result = synthThroughCdk({ rebalancing: [{ ...BASKET, symbols }] });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      "tradingBot.rebalancing[0].symbols holds 100 symbols, more than the 96 one rebalance can commit",
    );
  });
});
