import { DEFAULT_STACK_NAME } from "../../shared/adapters/config/settings.ts";
import { RESEARCH_LIMITS } from "../../shared/adapters/optimize/search-layout.ts";
import { MAX_BATCH_SETTINGS } from "../../shared/application/optimize/fan-out-cost.ts";
import { UsageError } from "../cli-errors.ts";

/** What `--on aws` adds to a search: the stack, the most it may cost without asking, the batch size. */
export interface AwsOptions {
  readonly stack: string;
  readonly maxCost: number;
  readonly yes: boolean;
  readonly batchSize: number | undefined;
}

/** Spend no more than this without asking (US dollars; --max-cost). */
export const DEFAULT_MAX_COST_USD = 1;

/** The command line's flags of a search on AWS. */
export const AWS_FLAGS = {
  on: { type: "string" },
  stack: { type: "string" },
  "max-cost": { type: "string" },
  "batch-size": { type: "string" },
  yes: { type: "boolean" },
} as const;

/** `--on aws` and its flags, checked; undefined: the search runs here. */
export function awsOptions(flags: {
  on?: string;
  stack?: string;
  "max-cost"?: string;
  "batch-size"?: string;
  yes?: boolean;
  workers?: string;
}): AwsOptions | undefined {
  const awsOnly = (["stack", "max-cost", "batch-size", "yes"] as const).filter((f) => flags[f] !== undefined);
  if (flags.on === undefined) {
    if (awsOnly.length) throw new UsageError(`--${awsOnly[0]} is for a search on AWS: add --on aws`);
    return undefined;
  }
  if (flags.on !== "aws") throw new UsageError(`--on takes aws (the research stack), got "${flags.on}"`);
  if (flags.workers !== undefined)
    throw new UsageError(
      `--workers is for a search here; on AWS the map runs up to ${RESEARCH_LIMITS.maxConcurrency} batches at once`,
    );
  const maxCost = flags["max-cost"] === undefined ? DEFAULT_MAX_COST_USD : Number(flags["max-cost"]);
  if (!Number.isFinite(maxCost) || maxCost < 0 || flags["max-cost"]?.trim() === "")
    throw new UsageError(
      `--max-cost must be an amount of US dollars such as 2.50, got "${flags["max-cost"]}"`,
    );
  const size = flags["batch-size"];
  const batchSize = size === undefined ? undefined : Number(size);
  if (
    batchSize !== undefined &&
    (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SETTINGS)
  )
    throw new UsageError(
      `--batch-size must be a whole number from 1 to ${MAX_BATCH_SETTINGS}, got "${size}"`,
    );
  return { stack: flags.stack ?? DEFAULT_STACK_NAME, maxCost, yes: flags.yes === true, batchSize };
}
