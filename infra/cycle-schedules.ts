import { createHash } from "node:crypto";
import { Aws, NestedStack, Stack } from "aws-cdk-lib";
import {
  Schedule as CronSchedule,
  EventField,
  type IRuleTarget,
  Rule,
  RuleTargetInput,
} from "aws-cdk-lib/aws-events";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { AWS_RULE_QUOTA } from "../shared/adapters/config/settings.ts";
import { scheduledEvent, type WatchedPair } from "../shared/adapters/config/watchlist.ts";
import { ConfigurationError } from "../shared/domain/errors.ts";
import { closeCron, type ScheduledTimeframe } from "../shared/domain/market/candle-schedule.ts";
import { type Basket, scheduleText } from "../shared/domain/rebalance/basket.ts";
import { rebalanceCron } from "../shared/domain/rebalance/rebalance-cron.ts";

/** EventBridge allows five targets per rule. */
const TARGETS_PER_RULE = 5;
/**
 * Rules per nested stack: 100 rules of 5 targets stay far below CloudFormation's 1 MB and 500
 * resources per template whatever the names, so only the event bus's quota bounds a watchlist.
 */
const RULES_PER_NESTED_STACK = 100;
/** The rules a watchlist needs: per timeframe, one per five pairs; and the digest's. */
function rulesNeeded(pairs: readonly WatchedPair[], digestHourUtc: number | null, baskets = 0): number {
  const perTimeframe = new Map<string, number>();
  for (const p of pairs) perTimeframe.set(p.timeframe, (perTimeframe.get(p.timeframe) ?? 0) + 1);
  let rules = (digestHourUtc === null ? 0 : 1) + baskets;
  for (const n of perTimeframe.values()) rules += Math.ceil(n / TARGETS_PER_RULE);
  return rules;
}

/** Synth stops, saying what to do, when the watchlist needs more rules than the event bus allows. */
function checkRuleQuota(
  pairs: readonly WatchedPair[],
  digestHourUtc: number | null,
  quota: number,
  baskets = 0,
): void {
  const needed = rulesNeeded(pairs, digestHourUtc, baskets);
  if (needed > quota)
    throw new ConfigurationError(
      `the watchlist's ${pairs.length} scheduled pairs need ${needed} EventBridge rules (${TARGETS_PER_RULE} pairs a rule, per timeframe${digestHourUtc === null ? "" : ", and the digest's"}${baskets ? `, and one per rebalancing account (${baskets})` : ""}), more than the ${quota} the event bus allows (tradingBot.ruleQuota; AWS's default is ${AWS_RULE_QUOTA}, shared with the account's other rules): remove pairs, split the watchlist into stacks (-c stackName=…), or raise "Maximum number of rules per event bus" in Service Quotas and set ruleQuota to match`,
    );
}

/**
 * The prefix of the stack's rule names, so that one permission can name them all: the stack's name,
 * or, past 40 characters, its first 31 and a hash (a rule name holds 64). Rule names continue it
 * with RULE_SEPARATOR, a character no stack name holds, so `<prefix>.*` matches this stack's rules
 * only, never those of a stack whose name merely starts the same ("FibonacciPaperTrader-2").
 */
export const RULE_SEPARATOR = ".";

export function rulePrefix(stackName: string): string {
  if (stackName.length <= 40) return stackName;
  return `${stackName.slice(0, 31)}-${createHash("sha256").update(stackName).digest("hex").slice(0, 8)}`;
}

/**
 * The function as a rule's target without a permission of its own: CDK's LambdaFunction target adds
 * one invoke permission per rule (about 400 bytes each of the function's 20 KB policy) and one
 * statement per rule to the failure queue's policy (8 KB, 20 statements); the schedules grant both
 * once, for every rule of the stack's prefix.
 */
class ScheduledInvoke implements IRuleTarget {
  readonly #fn: IFunction;
  readonly #queue: IQueue;
  readonly #input: RuleTargetInput;

  constructor(fn: IFunction, queue: IQueue, input: RuleTargetInput) {
    this.#fn = fn;
    this.#queue = queue;
    this.#input = input;
  }

  bind() {
    return {
      arn: this.#fn.functionArn,
      input: this.#input,
      // An invocation EventBridge cannot make lands in the failure queue, which an alarm watches.
      deadLetterConfig: { arn: this.#queue.queueArn },
      targetResource: this.#fn,
    };
  }
}

/**
 * One invocation per (symbol, timeframe) at every candle close (UTC): rules per timeframe,
 * each holding at most five pairs, named with the stack's prefix; one invoke permission and one
 * failure-queue statement for all of them (any rule of that prefix in this account, none other).
 */
export class CycleSchedules extends Construct {
  readonly rules: Rule[] = [];

  constructor(
    scope: Construct,
    id: string,
    props: {
      pairs: readonly WatchedPair[];
      /** The rebalancing accounts: one rule each, at its scheduled times. */
      baskets?: readonly Basket[];
      target: IFunction;
      deadLetterQueue: IQueue;
      /** The daily digest's UTC hour; null: no digest rule. */
      digestHourUtc?: number | null;
      /** Rules the stack may create (the event bus's quota). */
      ruleQuota?: number;
    },
  ) {
    super(scope, id);
    const baskets = props.baskets ?? [];
    checkRuleQuota(
      props.pairs,
      props.digestHourUtc ?? null,
      props.ruleQuota ?? AWS_RULE_QUOTA,
      baskets.length,
    );
    const prefix = rulePrefix(Stack.of(this).stackName);
    const target = (input: RuleTargetInput) =>
      new ScheduledInvoke(props.target, props.deadLetterQueue, input);
    const byTimeframe = new Map<ScheduledTimeframe, WatchedPair[]>();
    for (const pair of props.pairs)
      byTimeframe.set(pair.timeframe, [...(byTimeframe.get(pair.timeframe) ?? []), pair]);
    // Each timeframe's rules in nested stacks of RULES_PER_NESTED_STACK, in watchlist order: a pair
    // added at the end changes its timeframe's last rule (or adds one), nothing else.
    const nested = new Map<string, NestedStack>();
    const home = (timeframe: string, n: number) => {
      const name = `Schedules${timeframe}Part${Math.ceil(n / RULES_PER_NESTED_STACK)}`;
      const found =
        nested.get(name) ??
        new NestedStack(this, name, { description: `${name} of ${Stack.of(this).stackName}` });
      nested.set(name, found);
      return found;
    };
    for (const [timeframe, pairs] of byTimeframe) {
      for (let start = 0, n = 1; start < pairs.length; start += TARGETS_PER_RULE, n++) {
        const group = pairs.slice(start, start + TARGETS_PER_RULE);
        const rule = new Rule(home(timeframe, n), `Every${timeframe}Close${n}`, {
          ruleName: `${prefix}${RULE_SEPARATOR}${timeframe}-${n}`,
          description: `Cycles at every ${timeframe} close: ${group.map((p) => p.symbol).join(", ")}`,
          schedule: CronSchedule.cron(closeCron(timeframe)),
        });
        for (const pair of group)
          rule.addTarget(
            target(RuleTargetInput.fromObject({ ...scheduledEvent(pair), scheduledTime: EventField.time })),
          );
        this.rules.push(rule);
      }
    }
    if (props.digestHourUtc !== undefined && props.digestHourUtc !== null) {
      const rule = new Rule(this, "DailyDigest", {
        ruleName: `${prefix}${RULE_SEPARATOR}digest`,
        description: `Every trading account's daily digest, at ${props.digestHourUtc}:00 UTC`,
        schedule: CronSchedule.cron({ minute: "0", hour: String(props.digestHourUtc) }),
      });
      // The rule's time goes with it: the digest's day is the one it was scheduled for.
      rule.addTarget(target(RuleTargetInput.fromObject({ digest: true, scheduledTime: EventField.time })));
      this.rules.push(rule);
    }
    baskets.forEach((basket, i) => {
      // Fires at the scheduled times (or the fewest times holding them), not at every close.
      const fires = rebalanceCron(basket);
      const rule = new Rule(this, `Rebalance${i + 1}`, {
        ruleName: `${prefix}${RULE_SEPARATOR}rebalance-${i + 1}`,
        description: `Rebalances account ${basket.accountId} at ${scheduleText(basket)}${fires.exact ? "" : ` (fires ${fires.text}; holds at the others)`}`,
        schedule: CronSchedule.cron(fires.cron),
      });
      rule.addTarget(
        target(RuleTargetInput.fromObject({ rebalance: basket.accountId, scheduledTime: EventField.time })),
      );
      this.rules.push(rule);
    });
    if (this.rules.length === 0) return;
    const rules = Stack.of(this).formatArn({
      service: "events",
      resource: "rule",
      resourceName: `${prefix}${RULE_SEPARATOR}*`,
    });
    const events = new ServicePrincipal("events.amazonaws.com");
    props.target.addPermission("InvokedBySchedules", {
      principal: events,
      action: "lambda:InvokeFunction",
      sourceArn: rules,
      sourceAccount: Aws.ACCOUNT_ID,
    });
    props.deadLetterQueue.addToResourcePolicy(
      new PolicyStatement({
        sid: "UndeliveredSchedules",
        principals: [events],
        actions: ["sqs:SendMessage"],
        resources: [props.deadLetterQueue.queueArn],
        conditions: {
          ArnLike: { "aws:SourceArn": rules },
          StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
        },
      }),
    );
  }
}
