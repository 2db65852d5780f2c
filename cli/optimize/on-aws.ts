import { randomBytes } from "node:crypto";
import { isRetryableByTrait, isServerError, isThrottlingError, isTransientError } from "@smithy/core/retry";
import type { MarketData, PortfolioData } from "../../shared/adapters/optimize/optimize-task.ts";
import { runTask } from "../../shared/adapters/optimize/optimize-task.ts";
import { fanOutPlan, RESEARCH_LIMITS } from "../../shared/adapters/optimize/search-layout.ts";
import type { Setting } from "../../shared/application/optimize/rule-params.ts";
import { UsageError } from "../cli-errors.ts";
import { confirmed } from "../confirm.ts";
import type { AwsOptions } from "./aws-flags.ts";
import { ResearchClient, type SearchProgress } from "./research-client.ts";
import { mergeBatches, type RunOutcome } from "./run-settings.ts";

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);

/** A price for people: cents, or below a cent to the millionth of a dollar ($0.000312). */
export const dollars = (n: number) => `$${n.toFixed(n >= 0.01 ? 2 : 6)}`;

/**
 * The pace of a search here: its first settings run in this thread until a second has passed
 * (at most 5 settings), the first of them checked for lookahead as the search's first batch is.
 */
function secondsPerSetting(
  data: { market?: MarketData; portfolio?: PortfolioData },
  strategy: string,
  settings: readonly Setting[],
) {
  const started = performance.now();
  let n = 0;
  while (n < Math.min(5, settings.length) && (n === 0 || performance.now() - started < 1_000)) {
    runTask({ ...data, strategy, settings: settings.slice(n, n + 1), first: n === 0 });
    n++;
  }
  return (performance.now() - started) / 1_000 / Math.max(1, n);
}

/**
 * `npm run optimize -- … --on aws`: the search on the research stack. Measures the pace here,
 * says what it will cost and asks above `maxCost`, writes the data and the settings to the
 * bucket, starts the state machine, reports the map run's counts, and merges the batches'
 * outcomes with the local search's own `mergeBatches`. A stop (Ctrl-C) stops the execution and
 * keeps the batches that finished.
 */
export async function runOnAws(options: {
  aws: AwsOptions;
  data: { market?: MarketData; portfolio?: PortfolioData };
  strategy: string;
  settings: readonly Setting[];
  onProgress: (done: number, total: number) => void;
  stopped: () => boolean;
  say: (line: string) => void;
}): Promise<RunOutcome> {
  const { aws, data, strategy, settings, say } = options;
  const client = await ResearchClient.of(aws.stack);
  const pace = secondsPerSetting(data, strategy, settings);
  const estimate = fanOutPlan(settings.length, pace, RESEARCH_LIMITS.maxConcurrency, aws.batchSize);
  if (!estimate)
    throw new UsageError(
      `one setting takes ${pace.toFixed(1)} s here: a batch would come near the worker's ${RESEARCH_LIMITS.timeoutSeconds} s limit; run this search here (without --on aws)`,
    );
  const { batchSize } = estimate;
  const d = estimate.dollars;
  say(
    `On AWS: ${settings.length.toLocaleString("en")} settings in ${estimate.batches.toLocaleString("en")} batch(es) of up to ${batchSize}, ${RESEARCH_LIMITS.maxConcurrency} at once; ${pace.toFixed(3)} s a setting measured here (a worker's vCPU taken as fast as one core here)`,
  );
  say(
    `Estimated cost: ${dollars(d.total)} (Lambda ${dollars(d.lambda)} for ${estimate.gbSeconds.toFixed(1)} GB-s, Step Functions ${dollars(d.stepFunctions)} for ${estimate.transitions} transitions, S3 ${dollars(d.s3)}); about ${Math.ceil(estimate.wallSeconds)} s of work plus start-up`,
  );
  if (d.total > aws.maxCost && !aws.yes) {
    const ok = await confirmed(
      `Spend about ${dollars(d.total)} (more than --max-cost $${aws.maxCost.toFixed(2)})? [y/N] `,
    );
    if (!ok)
      throw new UsageError(
        `not run: the estimated ${dollars(d.total)} is more than --max-cost $${aws.maxCost.toFixed(2)}; pass --yes, or a higher --max-cost`,
      );
  }
  // Stopped before anything was written: nothing runs on AWS.
  if (options.stopped()) return { evaluations: [], skipped: [], notRun: settings.length, failed: 0 };
  const id = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(3).toString("hex")}`;
  const search = await client.upload(id, data, settings, { strategy, batchSize });
  const executionArn = await untilStarted(() => client.start(id, search), say, options.stopped);
  if (executionArn === undefined) return { evaluations: [], skipped: [], notRun: settings.length, failed: 0 };
  say(`Started ${executionArn}`);
  const progress = (last: SearchProgress) => stillPolling(() => client.progress(executionArn), last, say);
  let state = await progress({ status: "RUNNING", done: 0, total: 0, failed: 0 });
  let stoppedHere = false;
  for (let poll = 0; !TERMINAL.has(state.status); poll++) {
    options.onProgress(state.done, state.total || settings.length);
    await pause(Math.min(2_000, 250 * 2 ** poll), options.stopped);
    if (options.stopped()) {
      await client
        .stop(executionArn)
        .catch((error: Error) =>
          say(
            `Could not stop the execution (${error.name}): it may run on; stop it with aws stepfunctions stop-execution --execution-arn ${executionArn}`,
          ),
        );
      stoppedHere = true;
      break;
    }
    state = await progress(state);
  }
  if (!stoppedHere) options.onProgress(state.done, state.total || settings.length);
  // In the settings' order: the bucket lists the batches' zero-padded keys in order.
  const merged = mergeBatches([...(await client.results(id)).values()]);
  const missing = settings.length - merged.evaluations.length - merged.skipped.length;
  const how = `${state.status}${state.error ? ` (${state.error})` : ""}`;
  if (!stoppedHere && missing === settings.length)
    throw new SearchFailedError(
      `the search failed on AWS, no batch finished: the execution ended ${how}; see ${executionArn} in the Step Functions console`,
    );
  if (!stoppedHere && state.status !== "SUCCEEDED") say(`The execution ended ${how}`);
  if (!stoppedHere && missing > 0)
    say(
      `${missing} setting(s) in batches that failed on AWS (after ${RESEARCH_LIMITS.attempts} tries) are not ranked`,
    );
  return {
    ...merged,
    notRun: stoppedHere ? missing : 0,
    failed: stoppedHere ? 0 : missing,
  };
}

/** A failure that passes (a throttle, a moment's outage), by the SDK's own classification (as the SNS publisher reads it). */
function passing(error: unknown): boolean {
  const e = error as never;
  return isThrottlingError(e) || isTransientError(e) || isServerError(e) || isRetryableByTrait(e);
}

/**
 * Starts the execution; while Step Functions throttles or fails for a moment (past the SDK's own
 * tries) it asks again, 1 s doubling to 30 s apart, until it starts or a stop is asked for
 * (undefined: nothing runs). The start is idempotent: asking again never starts two.
 */
async function untilStarted(
  start: () => Promise<string>,
  say: (line: string) => void,
  stopped: () => boolean,
): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!passing(error)) throw error;
      say(`Step Functions: ${(error as Error).name} on starting the search; asking again`);
    }
    await pause(Math.min(30_000, 1_000 * 2 ** attempt), stopped);
    if (stopped()) return undefined;
  }
}

/**
 * The execution's progress; while AWS throttles or fails for a moment (past the SDK's own tries),
 * the last known one, and the next poll asks again: the search runs on regardless.
 */
async function stillPolling(
  ask: () => Promise<SearchProgress>,
  last: SearchProgress,
  say: (line: string) => void,
): Promise<SearchProgress> {
  try {
    return await ask();
  } catch (error) {
    if (!passing(error)) throw error;
    say(`Step Functions: ${(error as Error).name}; asking again`);
    return last;
  }
}

/** A search on AWS of which nothing came back. */
export class SearchFailedError extends Error {
  override readonly name = "SearchFailedError";
}

/** Waits `ms`, or less when a stop is asked for. */
async function pause(ms: number, stopped: () => boolean) {
  const until = performance.now() + ms;
  while (performance.now() < until && !stopped())
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, until - performance.now())));
}
