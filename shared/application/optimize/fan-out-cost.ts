/**
 * AWS's public prices for what a fanned-out search uses (US East, N. Virginia; other regions
 * differ a little): Lambda on arm64 per GB-second and per request, Step Functions Standard per
 * state transition (the first 4,000 a month are free), S3 Standard per GET and per PUT.
 */
export const US_EAST_1_PRICES = {
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.0000002,
  stateTransition: 0.000025,
  s3Get: 0.0000004,
  s3Put: 0.000005,
} as const;

export interface FanOut {
  readonly settings: number;
  readonly batchSize: number;
  /** Seconds one batch takes in the worker (measure it: the bench's figure, or one local batch). */
  readonly secondsPerBatch: number;
  readonly memoryGb: number;
  /** Batches at once (the map's MaxConcurrency). */
  readonly workers: number;
}

/**
 * What a search costs on the research stack and how long it takes: one child workflow per
 * batch (its task and its end: 2 state transitions, plus the parent's 3), one Lambda request
 * and `secondsPerBatch × memoryGb` GB-seconds per batch, at most one GET of the search's data
 * per batch plus the settings file, and the map's result files (at most 3 PUTs: results,
 * failures, manifest). Retries would add to it; the estimate counts none.
 */
export function fanOutEstimate(f: FanOut, prices: typeof US_EAST_1_PRICES = US_EAST_1_PRICES) {
  const batches = Math.ceil(f.settings / f.batchSize);
  const gbSeconds = batches * f.secondsPerBatch * f.memoryGb;
  const transitions = 3 + 2 * batches;
  const lambda = gbSeconds * prices.lambdaGbSecond + batches * prices.lambdaRequest;
  const stepFunctions = transitions * prices.stateTransition;
  const s3 = (batches + 1) * prices.s3Get + 3 * prices.s3Put;
  return {
    batches,
    gbSeconds,
    transitions,
    dollars: { lambda, stepFunctions, s3, total: lambda + stepFunctions + s3 },
    /** Waves of `workers` batches, each as long as a batch (start-up and Step Functions' own latency not counted). */
    wallSeconds: Math.ceil(batches / f.workers) * f.secondsPerBatch,
  };
}

/** The longest a batch should take in the worker: well inside its time limit, short enough to spread. */
export const TARGET_BATCH_SECONDS = 60;
/** A batch's items (about 100 bytes each) stay within the map's 256 KB batch input. */
export const MAX_BATCH_SETTINGS = 1_000;

/**
 * How many settings a batch gets: as few waves of `workers` batches as batches of at most
 * `TARGET_BATCH_SECONDS` (at the measured pace) allow, the settings spread evenly over them; at
 * most `MAX_BATCH_SETTINGS`. A setting that alone would come near the worker's time limit is
 * refused (undefined).
 */
export function batchSizeFor(
  settings: number,
  secondsPerSetting: number,
  workers: number,
  timeoutSeconds: number,
): number | undefined {
  if (secondsPerSetting * 2 > timeoutSeconds) return undefined;
  const fitting = Math.max(1, Math.floor(TARGET_BATCH_SECONDS / Math.max(secondsPerSetting, 1e-9)));
  const waves = Math.ceil(settings / (workers * fitting));
  const spread = Math.ceil(settings / (waves * workers));
  return Math.max(1, Math.min(spread, fitting, MAX_BATCH_SETTINGS));
}
