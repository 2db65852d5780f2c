import { Schedule as CronSchedule, EventField, Rule, RuleTargetInput } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { scheduledEvent, type WatchedPair } from "../shared/adapters/config/watchlist.ts";
import { ConfigurationError } from "../shared/domain/errors.ts";
import { closeCron, type ScheduledTimeframe } from "../shared/domain/market/candle-schedule.ts";

/** EventBridge allows five targets per rule. */
export const TARGETS_PER_RULE = 5;
/** Rules per event bus, AWS's default quota (adjustable in Service Quotas). */
export const DEFAULT_RULE_QUOTA = 300;

/** The rules a watchlist needs: per timeframe, one per five pairs; and the digest's. */
export function rulesNeeded(pairs: readonly WatchedPair[], digestHourUtc: number | null): number {
  const perTimeframe = new Map<string, number>();
  for (const p of pairs) perTimeframe.set(p.timeframe, (perTimeframe.get(p.timeframe) ?? 0) + 1);
  let rules = digestHourUtc === null ? 0 : 1;
  for (const n of perTimeframe.values()) rules += Math.ceil(n / TARGETS_PER_RULE);
  return rules;
}

/** Synth stops, saying what to do, when the watchlist needs more rules than the event bus allows. */
export function checkRuleQuota(
  pairs: readonly WatchedPair[],
  digestHourUtc: number | null,
  quota: number,
): void {
  const needed = rulesNeeded(pairs, digestHourUtc);
  if (needed > quota)
    throw new ConfigurationError(
      `the watchlist's ${pairs.length} scheduled pairs need ${needed} EventBridge rules (${TARGETS_PER_RULE} pairs a rule, per timeframe${digestHourUtc === null ? "" : ", and the digest's"}), more than the ${quota} the event bus allows (tradingBot.ruleQuota; AWS's default is ${DEFAULT_RULE_QUOTA}, shared with the account's other rules): remove pairs, split the watchlist into stacks (-c stackName=…), or raise "Maximum number of rules per event bus" in Service Quotas and set ruleQuota to match`,
    );
}

/**
 * One invocation per (symbol, timeframe) at every candle close (UTC): rules per timeframe,
 * each holding at most five pairs, so any watchlist fits.
 */
export class CycleSchedules extends Construct {
  readonly rules: Rule[] = [];

  constructor(
    scope: Construct,
    id: string,
    props: {
      pairs: readonly WatchedPair[];
      target: IFunction;
      deadLetterQueue: IQueue;
      /** The daily digest's UTC hour; null: no digest rule. */
      digestHourUtc?: number | null;
      /** Rules the stack may create (the event bus's quota). */
      ruleQuota?: number;
    },
  ) {
    super(scope, id);
    checkRuleQuota(props.pairs, props.digestHourUtc ?? null, props.ruleQuota ?? DEFAULT_RULE_QUOTA);
    const byTimeframe = new Map<ScheduledTimeframe, WatchedPair[]>();
    for (const pair of props.pairs)
      byTimeframe.set(pair.timeframe, [...(byTimeframe.get(pair.timeframe) ?? []), pair]);
    for (const [timeframe, pairs] of byTimeframe) {
      for (let start = 0, n = 1; start < pairs.length; start += TARGETS_PER_RULE, n++) {
        const group = pairs.slice(start, start + TARGETS_PER_RULE);
        const rule = new Rule(this, `Every${timeframe}Close${n}`, {
          description: `Trading cycles at every ${timeframe} candle close: ${group.map((p) => p.symbol).join(", ")}`,
          schedule: CronSchedule.cron(closeCron(timeframe)),
        });
        for (const pair of group) {
          rule.addTarget(
            new LambdaFunction(props.target, {
              // An invocation EventBridge cannot make lands in the failure queue, which an alarm watches.
              deadLetterQueue: props.deadLetterQueue,
              event: RuleTargetInput.fromObject({ ...scheduledEvent(pair), scheduledTime: EventField.time }),
            }),
          );
        }
        this.rules.push(rule);
      }
    }
    if (props.digestHourUtc !== undefined && props.digestHourUtc !== null) {
      const rule = new Rule(this, "DailyDigest", {
        description: `Every trading account's daily digest, at ${props.digestHourUtc}:00 UTC`,
        schedule: CronSchedule.cron({ minute: "0", hour: String(props.digestHourUtc) }),
      });
      rule.addTarget(
        new LambdaFunction(props.target, {
          deadLetterQueue: props.deadLetterQueue,
          event: RuleTargetInput.fromObject({ digest: true }),
        }),
      );
      this.rules.push(rule);
    }
  }
}
