import { describe, expect, it } from "vitest";
import { resourcesOf, synthApp, synthThroughCdk } from "../helpers/cdk-app.ts";

type Rule = {
  Properties: {
    Name: string;
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
  it("gets one rule at every close of its timeframe, sending the rebalance event with the rule's time", () => {
    const { stack } = synthApp({ rebalancing: [BASKET] });
    const rules = (resourcesOf(stack, "AWS::Events::Rule") as Rule[]).filter((r) =>
      JSON.stringify(r.Properties.Name).includes("rebalance"),
    );
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule?.Properties.ScheduleExpression).toBe("cron(0 0 ? * MON *)");
    const template = rule?.Properties.Targets[0]?.InputTransformer.InputTemplate ?? "";
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
