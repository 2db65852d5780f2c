import { readFileSync } from "node:fs";
import { App, Stack } from "aws-cdk-lib";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Code, Function as LambdaFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import { describe, expect, it } from "vitest";
import { RULE_SEPARATOR, rulePrefix } from "../../infra/cycle-schedules.ts";
import { checkDeployLimits, DEPLOY_LIMITS, deployFigures } from "../../infra/deploy-limits.ts";
import { resourcesOf, synthApp } from "../helpers/cdk-app.ts";

/** Symbols of the longest form Binance lists (20 characters), so that the figures are the worst case. */
const symbol = (i: number) => `ABCDEFGHIJKL${String(i).padStart(4, "0")}USDT`;
const watchlistOf = (pairs: number, timeframes: string[]) =>
  Array.from({ length: Math.ceil(pairs / timeframes.length) }, (_, i) => ({ symbol: symbol(i), timeframes }));
/** The maximum the README promises. */
const README_MAX = Number(
  /up to \*\*([\d,]+) pairs\*\*/.exec(readFileSync("README.md", "utf8"))?.[1]?.replace(",", ""),
);

type Resource = { Type: string; Properties: Record<string, unknown> };

/** The largest figure of each kind, as the closing note and docs/deploy.md quote them. */
function worst(figures: ReturnType<typeof deployFigures>) {
  const byWhat = new Map<string, number>();
  for (const f of figures) byWhat.set(f.what, Math.max(byWhat.get(f.what) ?? 0, f.value));
  return Object.fromEntries(byWhat);
}

describe("AWS's deploy-time limits, checked on the synthesized templates", () => {
  it.each([
    [5, ["1h"]],
    [250, ["1h", "4h"]],
    [1_000, ["1h", "4h"]],
    [README_MAX, ["1h"]],
  ])(
    "a watchlist of %i pairs passes every limit, with one invoke permission for all its rules",
    (pairs, timeframes) => {
      const { app, stack } = synthApp({ watchlist: watchlistOf(pairs, timeframes) });
      const figures = checkDeployLimits(app.synth(), stack.ruleQuota);
      const w = worst(figures);
      expect(w["rules on the event bus"]).toBe(Math.ceil(pairs / timeframes.length / 5) * timeframes.length);
      expect(w["function resource policy bytes"]).toBeLessThan(1_000); // one statement, whatever the size
      expect(w["queue policy statements"]).toBeLessThanOrEqual(2);
      expect(w["template bytes"]).toBeLessThan(DEPLOY_LIMITS.templateBytes / 2);
      expect(w.resources).toBeLessThan(DEPLOY_LIMITS.resources / 4);
      expect(w["targets per rule"]).toBe(5);
      const permissions = resourcesOf(stack, "AWS::Lambda::Permission") as Resource[];
      const invoke = permissions.filter(
        (p) => JSON.stringify(p.Properties.Principal) === '"events.amazonaws.com"',
      );
      expect(invoke).toHaveLength(1);
      // Only this stack's rules, in this account, may invoke: the rules' name prefix and the account as conditions.
      expect(JSON.stringify(invoke[0]?.Properties.SourceArn)).toContain(":rule/FibonacciPaperTrader.*");
      expect(invoke[0]?.Properties.SourceAccount).toEqual({ Ref: "AWS::AccountId" });
      const rules = resourcesOf(stack, "AWS::Events::Rule") as Resource[];
      expect(rules.every((r) => String(r.Properties.Name).startsWith("FibonacciPaperTrader."))).toBe(true);
    },
    120_000,
  );

  it("stops synth, in one line, on a function policy Lambda would refuse (one permission per rule, as CDK's target adds)", () => {
    const app = new App();
    const stack = new Stack(app, "PerRulePermissions");
    const fn = new LambdaFunction(stack, "Fn", {
      runtime: Runtime.NODEJS_22_X,
      handler: "index.handler",
      code: Code.fromInline("exports.handler = async () => {}"),
    });
    for (let i = 0; i < 60; i++)
      fn.addPermission(`AllowEventRule${i}`, {
        principal: new ServicePrincipal("events.amazonaws.com"),
        sourceArn: `arn:aws:events:eu-central-1:123456789012:rule/PerRulePermissions-Every1hClose${i}ABCDEF`,
      });
    expect(() => checkDeployLimits(app.synth(), 300)).toThrowError(
      /^this watchlist would not deploy: function resource policy bytes of Fn\w+ [\d,]+ > 20,480; remove pairs, or split the watchlist into stacks/,
    );
  });

  it("names every limit it checks, from CloudFormation, Lambda, IAM, SNS, SQS and EventBridge", () => {
    const { app, stack } = synthApp({ watchlist: watchlistOf(10, ["1h"]) });
    const kinds = new Set(deployFigures(app.synth(), stack.ruleQuota).map((f) => f.what));
    expect([...kinds].sort()).toEqual(
      [
        "template bytes",
        "resources",
        "outputs",
        "parameters",
        "function resource policy bytes",
        "environment bytes",
        "role inline policy characters",
        "topic policy bytes",
        "queue policy bytes",
        "queue policy statements",
        "targets per rule",
        "rules on the event bus",
      ].sort(),
    );
  });
});

describe("the research stack's deploy-time limits", () => {
  it("are checked with the trading stack's, its state machine's definition among them", () => {
    const { app, stack } = synthApp({ research: true, watchlist: watchlistOf(1_500, ["1h"]) });
    const figures = checkDeployLimits(app.synth(), stack.ruleQuota);
    const research = figures.filter(
      (f) => f.where.includes("-Research") || /^(Worker|SearchMachine)/.test(f.where),
    );
    const kinds = new Set(research.map((f) => f.what));
    for (const kind of [
      "template bytes",
      "resources",
      "outputs",
      "environment bytes",
      "role inline policy characters",
      "state machine definition bytes",
    ])
      expect(kinds).toContain(kind);
    const definition = research.find((f) => f.what === "state machine definition bytes");
    expect(definition?.value).toBeGreaterThan(500);
    expect(definition?.value).toBeLessThan(DEPLOY_LIMITS.stateMachineDefinitionBytes);
    // Its stack adds no rule: the event bus's count is the trading stack's alone.
    expect(figures.find((f) => f.what === "rules on the event bus")?.value).toBe(300);
  }, 120_000);
});

describe("the rules' name prefix", () => {
  it("is the stack's name, or past 40 characters its first 31 and a hash: distinct, and a rule name stays within 64", () => {
    expect(rulePrefix("FibonacciPaperTrader")).toBe("FibonacciPaperTrader");
    const long = `${"A".repeat(45)}One`;
    const other = `${"A".repeat(45)}Two`;
    expect(rulePrefix(long)).toHaveLength(40);
    expect(rulePrefix(long)).not.toBe(rulePrefix(other));
    expect(`${rulePrefix(long)}.12h-300`.length).toBeLessThanOrEqual(64);
  });

  it("trusts exactly this stack's rules: a second stack named FibonacciPaperTrader-2 (the docs' way to split a watchlist) falls outside", () => {
    const granted = `${rulePrefix("FibonacciPaperTrader")}${RULE_SEPARATOR}*`;
    const matches = (pattern: string, name: string) =>
      new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(name);
    expect(matches(granted, `FibonacciPaperTrader${RULE_SEPARATOR}4h-1`)).toBe(true);
    expect(matches(granted, `FibonacciPaperTrader${RULE_SEPARATOR}digest`)).toBe(true);
    for (const other of ["FibonacciPaperTrader-2", "FibonacciPaperTraderX", "FibonacciPaperTrader-Prod"])
      expect(matches(granted, `${rulePrefix(other)}${RULE_SEPARATOR}4h-1`), other).toBe(false);
    // A stack name holds letters, digits and hyphens only: no prefix holds the separator.
    expect(/^[A-Za-z][A-Za-z0-9-]*$/.test(RULE_SEPARATOR)).toBe(false);
  });
});

describe("changing the watchlist", () => {
  const logicalIds = (watchlist: unknown) => {
    const { template } = synthApp({ watchlist });
    const t = template();
    const ids = (type: string) => Object.keys(t.findResources(type)).sort();
    return {
      table: ids("AWS::DynamoDB::GlobalTable"),
      topics: ids("AWS::SNS::Topic"),
      queues: ids("AWS::SQS::Queue"),
    };
  };

  it("keeps the table, the topics and the queue under the same logical IDs, so a deploy never replaces them", () => {
    const small = logicalIds(watchlistOf(5, ["1h"]));
    const large = logicalIds(watchlistOf(800, ["1h", "4h", "1d"]));
    expect(small.table).toHaveLength(1);
    expect(small.topics).toHaveLength(2);
    expect(small.queues).toHaveLength(1);
    expect(large).toEqual(small);
  });

  it("adding a pair at the end of the watchlist changes no other rule", () => {
    const before = watchlistOf(1_000, ["1h", "4h"]);
    const after = [...before, { symbol: "ZZZZUSDT", timeframes: ["1h"] }];
    const rulesOf = (watchlist: unknown) => {
      const { stack } = synthApp({ watchlist });
      return new Map(
        (resourcesOf(stack, "AWS::Events::Rule") as Resource[]).map((r) => [
          String(r.Properties.Name),
          JSON.stringify(r),
        ]),
      );
    };
    const old = rulesOf(before);
    const changed = rulesOf(after);
    const differing = [...changed].filter(([name, rule]) => old.get(name) !== rule).map(([name]) => name);
    expect(differing).toEqual(["FibonacciPaperTrader.1h-101"]); // one new rule; none of the 200 others changed
    expect(changed.size).toBe(old.size + 1);
  }, 120_000);
});
