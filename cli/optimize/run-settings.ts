import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import {
  type MarketData,
  type PortfolioData,
  runTask,
} from "../../shared/adapters/optimize/optimize-task.ts";
import type { Evaluation } from "../../shared/application/optimize/evaluation.ts";
import type { Setting } from "../../shared/application/optimize/rule-params.ts";

export interface RunOutcome {
  readonly evaluations: Evaluation[];
  readonly skipped: { setting: Setting; why: string }[];
  /** Settings not run because the run was stopped (Ctrl-C). */
  readonly notRun: number;
  /** Settings whose batch failed on AWS after its tries (always 0 here). */
  readonly failed: number;
}

/**
 * Runs the settings in batches on a pool of worker threads (piscina), one per core by default; with
 * one worker, in this thread. `stopped()` is asked between batches: a stop keeps what finished.
 * Results keep the settings' order, whatever order the workers finish in.
 */
export async function runSettings(options: {
  market?: MarketData;
  /** A whole account instead of one pair (npm run optimize -- --account). */
  portfolio?: PortfolioData;
  strategy: string;
  settings: readonly Setting[];
  workers: number | undefined;
  onProgress: (done: number, total: number) => void;
  stopped: () => boolean;
}): Promise<RunOutcome> {
  const { market, portfolio, strategy, settings } = options;
  const data = portfolio ? { portfolio } : { market };
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const size = Math.max(1, Math.min(200, Math.ceil(settings.length / (workers * 8))));
  const batches: Setting[][] = [];
  for (let i = 0; i < settings.length; i += size) batches.push(settings.slice(i, i + size));
  const results: (ReturnType<typeof runTask> | undefined)[] = new Array(batches.length);
  let done = 0;
  let notRun = 0;
  const finish = (k: number, outcome: ReturnType<typeof runTask>) => {
    results[k] = outcome;
    done += batches[k]?.length ?? 0;
    options.onProgress(done, settings.length);
  };
  if (workers === 1 || batches.length === 1) {
    for (const [k, batch] of batches.entries()) {
      if (options.stopped()) {
        notRun += batch.length;
        continue;
      }
      finish(k, runTask({ ...data, strategy, settings: batch, first: k === 0 }));
      // Let a Ctrl-C be heard between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } else {
    const pool = new Piscina({
      filename: new URL("./worker.ts", import.meta.url).href,
      maxThreads: workers,
      minThreads: workers,
    });
    try {
      let next = 0;
      const lane = async () => {
        while (next < batches.length) {
          const k = next++;
          const batch = batches[k] as Setting[];
          if (options.stopped()) {
            notRun += batch.length;
            continue;
          }
          finish(
            k,
            (await pool.run({ ...data, strategy, settings: batch, first: k === 0 })) as ReturnType<
              typeof runTask
            >,
          );
        }
      };
      await Promise.all(Array.from({ length: workers }, lane));
    } finally {
      await pool.destroy();
    }
  }
  return { ...mergeBatches(results), notRun, failed: 0 };
}

/**
 * The batches' outcomes as one search's, in the settings' order (a batch not run leaves a gap):
 * the local workers' and the Distributed Map's results are merged by this same function.
 */
export function mergeBatches(results: readonly (ReturnType<typeof runTask> | undefined)[]) {
  const present = results.filter((r): r is ReturnType<typeof runTask> => r !== undefined);
  return {
    evaluations: present.flatMap((r) => r.evaluations),
    skipped: present.flatMap((r) => r.skipped),
  };
}
