import type { MarketData, PortfolioData } from "../../shared/adapters/optimize/optimize-task.ts";
import type { Setting } from "../../shared/application/optimize/rule-params.ts";
import { progressBar } from "../progress.ts";
import type { AwsOptions } from "./aws-flags.ts";
import { runOnAws } from "./on-aws.ts";
import { type RunOutcome, runSettings } from "./run-settings.ts";

/**
 * A search's settings run here (worker threads) or, with `aws`, on the research stack; either
 * way with a progress bar and Ctrl-C keeping what finished (a second Ctrl-C quits at once).
 */
export async function runSearch(options: {
  label: string;
  data: { market: MarketData } | { portfolio: PortfolioData };
  strategy: string;
  settings: readonly Setting[];
  workers: number | undefined;
  aws: AwsOptions | undefined;
}): Promise<RunOutcome> {
  const { aws } = options;
  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130);
    stop = true;
    process.stderr.write(
      aws
        ? "\nStopping the execution on AWS, keeping the batches that finished (Ctrl-C again to quit now)…\n"
        : "\nStopping after the settings in flight (Ctrl-C again to quit now)…\n",
    );
  };
  process.on("SIGINT", onSignal);
  // On AWS the bar starts with the execution (its first counts), so that the pace it shows and the
  // time left leave out the measuring and the upload.
  let bar = aws ? undefined : progressBar(options.label);
  const common = {
    strategy: options.strategy,
    settings: options.settings,
    onProgress: (done: number, total: number) => {
      bar ??= progressBar(`${options.label} on AWS`);
      bar.update(done, total);
    },
    stopped: () => stop,
  };
  try {
    if (aws)
      return await runOnAws({
        ...common,
        aws,
        data: options.data,
        say: (line) => {
          bar?.end();
          process.stderr.write(`${line}\n`);
        },
      });
    return await runSettings({ ...common, ...options.data, workers: options.workers });
  } finally {
    process.off("SIGINT", onSignal);
    bar?.end();
  }
}
