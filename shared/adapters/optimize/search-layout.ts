import { batchSizeFor, fanOutEstimate } from "../../application/optimize/fan-out-cost.ts";
import type { Setting } from "../../application/optimize/rule-params.ts";

/**
 * Where a search fanned out on the research stack keeps its files in the bucket, and the shapes
 * the command line, the state machine and the worker exchange (docs/optimize.md):
 *
 *     searches/<id>/data.json              the market (one pair) or the account (portfolio)
 *     searches/<id>/settings.json          [{"index": 0, "setting": {…}}, …], the map's items
 *     searches/<id>/results/<index>.json   one batch's outcome, written by the worker
 *     results/<map run>/manifest.json …    the map's ResultWriter: each batch's summary
 */
export function searchKeys(id: string) {
  const prefix = `searches/${id}/`;
  return {
    prefix,
    dataKey: `${prefix}data.json`,
    settingsKey: `${prefix}settings.json`,
    resultsPrefix: `${prefix}results/`,
  };
}

/** The research stack's name beside the trading stack's, and its outputs, as npm run optimize -- --on aws reads them. */
export const researchStackName = (stackName: string) => `${stackName}-Research`;
export const RESEARCH_OUTPUTS = { bucket: "SearchBucket", stateMachine: "SearchStateMachineArn" } as const;

/**
 * How a search fans out: children at once, a batch's tries, the share of batches that may fail;
 * the worker's memory (1,769 MB: Lambda's one full vCPU, so that a batch takes about what it takes
 * on one core) and its time limit.
 */
export const RESEARCH_LIMITS = {
  maxConcurrency: 100,
  /** Tries of a batch whose worker fails (a throttle is not a failure: see throttledRetries). */
  attempts: 3,
  /** Retries of a batch Lambda throttles: 5 s doubling to at most 60 s, each jittered down: at most 37 minutes of waiting, about half on average. */
  throttledRetries: 40,
  toleratedFailurePercentage: 5,
  memoryMb: 1769,
  timeoutSeconds: 300,
  /** A search's data as JSON: the worker parses it into about three times as much memory. */
  maxDataBytes: 256 * 1024 * 1024,
} as const;

/**
 * A search on the research stack from the pace measured here: its batch size (as given, or the
 * one `batchSizeFor` picks for `workers`) and what it costs and takes (`fanOutEstimate` at the
 * worker's memory); undefined when a setting alone would come near the worker's time limit.
 */
export function fanOutPlan(
  settings: number,
  secondsPerSetting: number,
  workers: number = RESEARCH_LIMITS.maxConcurrency,
  batchSize: number | undefined = undefined,
) {
  const size =
    batchSize ?? batchSizeFor(settings, secondsPerSetting, workers, RESEARCH_LIMITS.timeoutSeconds);
  if (size === undefined) return undefined;
  return {
    batchSize: size,
    ...fanOutEstimate({
      settings,
      batchSize: size,
      secondsPerBatch: secondsPerSetting * size,
      memoryGb: RESEARCH_LIMITS.memoryMb / 1024,
      workers,
    }),
  };
}

/** Why a search's data is too large for the worker, or undefined. */
export function dataSizeProblem(bytes: number): string | undefined {
  if (bytes <= RESEARCH_LIMITS.maxDataBytes) return undefined;
  const mb = (n: number) => `${Math.ceil(n / 1024 / 1024).toLocaleString("en")} MB`;
  return `the search's candles come to ${mb(bytes)} of JSON, more than the worker's ${mb(RESEARCH_LIMITS.maxDataBytes)} (it has ${RESEARCH_LIMITS.memoryMb.toLocaleString("en")} MB of memory): search fewer pairs or a shorter period (--from, --to)`;
}

/** A batch's outcome, beside the search's data: named by the index of its first setting. */
export function batchResultKey(dataKey: string, firstIndex: number): string {
  const folder = dataKey.slice(0, dataKey.lastIndexOf("/") + 1);
  return `${folder}results/${String(firstIndex).padStart(9, "0")}.json`;
}

/** One of the map's items: a setting and its place in the search (results are merged in this order). */
export interface SearchItem {
  readonly index: number;
  readonly setting: Setting;
}

/** The state machine's input. */
export interface SearchInput {
  readonly settingsKey: string;
  readonly dataKey: string;
  readonly strategy: string;
  readonly batchSize: number;
}

/** What the map hands the worker: a batch of items, with the search's data key and strategy. */
export interface BatchEvent {
  readonly Items: readonly SearchItem[];
  readonly BatchInput: { readonly dataKey: string; readonly strategy: string };
}

/** What the worker returns for a batch (its outcome is in the bucket at `key`). */
export interface BatchSummary {
  readonly from: number;
  readonly count: number;
  readonly key: string;
  readonly evaluated: number;
  readonly skipped: number;
}
