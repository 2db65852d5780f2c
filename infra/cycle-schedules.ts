import { Schedule as CronSchedule, EventField, Rule, RuleTargetInput } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { scheduledEvent, type WatchedPair } from "../shared/adapters/config/watchlist.ts";
import { closeCron, type ScheduledTimeframe } from "../shared/domain/market/candle-schedule.ts";

/** EventBridge allows five targets per rule. */
export const TARGETS_PER_RULE = 5;

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
    },
  ) {
    super(scope, id);
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
