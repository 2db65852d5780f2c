/**
 * The trading cycle's public face: what the handlers, the CLIs, the adapters and the other use
 * cases may use. Everything else in this folder is the cycle's own (dependency-cruiser's
 * "cycle-public-face" rule holds others to this file; README.md beside it tells the order of its parts).
 */
export { CODE_VERSION, cycleBasis, windowDigest } from "./basis.ts";
export { CYCLE_CONFIG_DEFAULTS, type CycleConfig, type WatchEntry } from "./config.ts";
export { Deadline, DeadlineExceededError } from "./deadline.ts";
export { CandleMismatchError, errorView } from "./errors.ts";
export { candleCount } from "./evaluate-batch.ts";
export { marketSteps, precisionOf } from "./market-steps.ts";
export { CYCLE_METRICS, emitCycleMetrics } from "./metrics.ts";
export { cycleSettings, settingsChanges } from "./recorded-settings.ts";
export {
  ACCOUNT_ID,
  type CycleRequest,
  ECHO_CHARS,
  InvalidRequestError,
  parseCycleRequest,
  parseDigestEvent,
  parseUtcTime,
  scheduledRequest,
} from "./request.ts";
export { fillView, lockView, signalView } from "./result.ts";
export { retryOnConflict } from "./retry-on-conflict.ts";
export { LateEventError } from "./time-guard.ts";
export { TradingCycle, type TradingCycleDeps } from "./trading-cycle.ts";
export { pairName, rulesFor, scheduledPairsOf } from "./watchlist-guard.ts";
