import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import {
  type CycleRequest,
  Deadline,
  InvalidRequestError,
  parseCycleRequest,
  parseDigestEvent,
} from "../../shared/application/cycle/index.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { parseRebalanceEvent } from "../../shared/application/rebalance/rebalance-request.ts";
import { TradingBotError } from "../../shared/domain/errors.ts";
import { createDependencies } from "./dependencies.ts";

/** Thrown after a failed cycle was alerted when retrying can help, so Lambda's retries, the failure queue and the alarms see it. */
export class CycleFailedError extends TradingBotError {
  override readonly name: string = "CycleFailedError";
  readonly retryable = true;
  readonly result: CycleResult;

  constructor(result: CycleResult) {
    super(`${result.symbol} ${result.timeframe}: ${result.error?.type}: ${result.error?.message}`);
    this.result = result;
  }
}

// Built once per container: clients, validated configuration; the cycle is built per invocation.
const { invocation, logger, metrics, defaultAccountId } = createDependencies(process.env);

/**
 * Of the time an invocation has left: the work gets all but RESERVE_MS + SAFETY_MS; a failure
 * then has RESERVE_MS to queue and send its alert; SAFETY_MS are left to flush the metrics and
 * return before Lambda's timeout (40 s, infra/trading-function.ts).
 */
const RESERVE_MS = 8_000;
export const SAFETY_MS = 2_000;

type LambdaContext = Parameters<Logger["addContext"]>[0];

export interface DigestResult {
  readonly digests: Awaited<ReturnType<ReturnType<typeof invocation>["digests"]>>;
}

/**
 * The trading-cycle function. Event: {"symbol":"BNBUSDT","timeframe":"4h"} plus the rule's
 * "scheduledTime", or "dryRun": true for a manual invoke. Returns the cycle's result. The daily
 * digest rule sends {"digest": true, "scheduledTime": …}: every trading account's digest for the
 * day of that time goes out, once per day.
 */
async function runInvocation(event: unknown, context?: LambdaContext): Promise<CycleResult | DigestResult> {
  // The invocation's time, created here and handed to the cycle and its adapters.
  const remaining = context?.getRemainingTimeInMillis?.();
  const deadline =
    remaining === undefined ? new Deadline() : new Deadline(remaining - RESERVE_MS - SAFETY_MS, RESERVE_MS);
  const { cycle, digests, rebalancer } = invocation(deadline);
  // A rebalancing account's rule: {"rebalance": "<account>", "scheduledTime": …}.
  let rebalance: ReturnType<typeof parseRebalanceEvent>;
  try {
    rebalance = parseRebalanceEvent(event);
  } catch (error) {
    return cycle.refuseInvalid(event, error);
  }
  if (rebalance) {
    const result = await rebalancer.run(rebalance);
    if (result.status === "failed" && result.error?.retryable && !rebalance.dryRun)
      throw new CycleFailedError(result);
    return result;
  }
  // The daily digest rule's event: {"digest": true, "scheduledTime": …}.
  let digest: ReturnType<typeof parseDigestEvent>;
  try {
    digest = parseDigestEvent(event);
    if (digest) return { digests: await digests(digest.scheduledTime ?? undefined) };
  } catch (error) {
    // A digest event with a malformed time, or one for a time to come: answered, logged and counted, not retried.
    if (error instanceof InvalidRequestError) return cycle.refuseInvalid(event, error);
    throw error;
  }
  // The entrance: the event parsed here, the use case takes a typed request.
  let request: CycleRequest;
  try {
    request = parseCycleRequest(event, defaultAccountId);
  } catch (error) {
    return cycle.refuseInvalid(event, error);
  }
  const result = await cycle.run(request);
  // What retrying cannot fix (an invalid event, an unknown symbol…) is answered, not thrown; so is
  // every manual dry run (nothing to retry for, and no alarm for a person's look).
  if (result.status === "failed" && result.error?.retryable && !request.dryRun)
    throw new CycleFailedError(result);
  return result;
}

/**
 * Powertools' middleware: the invocation's context on every log line (the cycle's keys cleared
 * after it), the metrics it recorded published when it returns or throws. Middy's own early
 * timeout is off: the invocation's Deadline keeps time.
 */
export const handler = middy(runInvocation, { timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
