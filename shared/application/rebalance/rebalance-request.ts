import { echoJson } from "../cut-text.ts";
import { ACCOUNT_ID, InvalidRequestError, parseUtcTime } from "../cycle/index.ts";

/** What one rebalance is asked to do: the account's rule fired, or a person's dry run. */
export interface RebalanceRequest {
  readonly accountId: string;
  /** When the rule fired (epoch ms): the rebalance is for the close at or before it. */
  readonly scheduledTime: number | undefined;
  readonly dryRun: boolean;
}

const FIELDS = ["rebalance", "scheduledTime", "dryRun"];

/**
 * A rebalance event, `{"rebalance": "<account>", "scheduledTime": …, "dryRun": …}`, validated
 * strictly (unknown fields refused); undefined for any other event (a cycle's, a digest's).
 */
export function parseRebalanceEvent(event: unknown): RebalanceRequest | undefined {
  if (typeof event !== "object" || event === null || Array.isArray(event) || !("rebalance" in event))
    return undefined;
  const input = event as Record<string, unknown>;
  const unknown = Object.keys(input).filter((k) => !FIELDS.includes(k));
  if (unknown.length)
    throw new InvalidRequestError(
      `unknown field(s) in a rebalance event: ${echoJson(unknown, 100)}; allowed: ${FIELDS.join(", ")}`,
    );
  const { rebalance, scheduledTime, dryRun = false } = input;
  if (typeof rebalance !== "string" || !ACCOUNT_ID.test(rebalance))
    throw new InvalidRequestError(
      `rebalance must name a rebalancing account, got ${echoJson(rebalance, 100)}`,
    );
  if (typeof dryRun !== "boolean")
    throw new InvalidRequestError(`dryRun must be true or false, got ${echoJson(dryRun, 100)}`);
  return {
    accountId: rebalance,
    scheduledTime: scheduledTime === undefined ? undefined : parseUtcTime(scheduledTime),
    dryRun,
  };
}
