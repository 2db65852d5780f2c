import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BNB_4H_CSV } from "../helpers/backtest-cli.ts";
import { writeCandlesCsv } from "../helpers/candles-csv-file.ts";
import { marketCsv } from "../helpers/fixtures.ts";
import { derivedCandles } from "../helpers/portfolio-market.ts";
import { startResearchStandIns } from "../helpers/research-stand-ins.ts";
import { runCliAsync, startCli } from "../helpers/run-cli.ts";

const MARKET = ["--symbol", "BNBUSDT", "--timeframe", "4h", "--csv", BNB_4H_CSV];
const FILTERS = ["--tick", "0.01", "--step", "0.001", "--min-notional", "5"];
/** 19 settings: 5 batches of 4 (the last of 3). */
const SEARCH = ["--strategy", "ma-distance", "--param", "maPeriod=10..100:5", ...MARKET, ...FILTERS];
const ON_AWS = ["--on", "aws", "--batch-size", "4", "--yes"];

let aws: Awaited<ReturnType<typeof startResearchStandIns>>;
beforeAll(async () => {
  aws = await startResearchStandIns();
}, 120_000);
afterAll(async () => aws?.close());
beforeEach(() => {
  aws.sfn.beforeBatch = async () => {};
  aws.sfn.throttleDescribes = 0;
  aws.sfn.throttleStarts = 0;
  aws.sfn.refuseStops = false;
  aws.sfn.calls.length = 0;
});

const optimize = (args: string[]) => runCliAsync("optimize", args, aws.env);
const starts = () => aws.sfn.calls.filter((c) => c === "StartExecution").length;

describe("npm run optimize -- --on aws (the research stack's stand-ins: S3, Step Functions, the worker's bundle)", () => {
  it("ranks a search run on AWS exactly as the local search, walk-forward and entry included; says the cost first", async () => {
    // S3 throttles the first uploads: the SDK's retries carry them (a throttle is never a refusal).
    aws.s3.failNext(2);
    const pages = mkdtempSync(join(tmpdir(), "aws-pages-"));
    const remote = await optimize([
      ...SEARCH,
      "--walk-forward",
      "train=3m,test=1m",
      "--json",
      "--html",
      join(pages, "remote.html"),
      ...ON_AWS,
    ]);
    expect(remote.status, remote.stderr).toBe(0);
    const local = await optimize([
      ...SEARCH,
      "--walk-forward",
      "train=3m,test=1m",
      "--json",
      "--html",
      join(pages, "local.html"),
      "--workers",
      "1",
    ]);
    expect(local.status, local.stderr).toBe(0);
    expect(JSON.parse(remote.stdout)).toEqual(JSON.parse(local.stdout));
    // The page too: heatmap, equity curves and windows, the same to the byte.
    const page = (name: string) => readFileSync(join(pages, name), "utf8");
    expect(page("remote.html").length).toBeGreaterThan(1_000);
    expect(page("remote.html")).toBe(page("local.html"));
    expect(JSON.parse(remote.stdout).evaluated).toBe(19);
    expect(remote.stderr).toMatch(
      /^On AWS: 19 settings in 5 batch\(es\) of up to 4, 100 at once; [\d.]+ s a setting measured here/m,
    );
    expect(remote.stderr).toMatch(
      /^Estimated cost: \$\d+\.\d{2,6} \(Lambda .* GB-s, Step Functions .* for 13 transitions, S3 .*\)/m,
    );
    // The map's items carry their place; the worker wrote one file a batch; the ResultWriter its manifest.
    const execution = [...aws.sfn.executions.values()].at(-1);
    expect(execution?.status).toBe("SUCCEEDED");
    const id = execution?.arn.split(":").at(-1) as string;
    const items = JSON.parse(aws.s3.text(`searches/${id}/settings.json`) ?? "[]");
    expect(items[7]).toEqual({ index: 7, setting: { maPeriod: 45 } });
    const results = [...aws.s3.objects.keys()].filter((k) => k.startsWith(`searches/${id}/results/`));
    expect(results).toHaveLength(5);
    const manifest = JSON.parse(
      aws.s3.text(JSON.parse(execution?.output ?? "{}").ResultWriterDetails.Key) ?? "{}",
    );
    expect(manifest.ResultFiles.SUCCEEDED).toHaveLength(1);
  }, 180_000);

  it("keeps the settings' order (what decides among equals): with none ranked, the table is the search's order", async () => {
    const args = [...SEARCH, "--min-trades", "1000", "--top", "19", "--json"];
    const remote = await optimize([...args, ...ON_AWS]);
    const local = await optimize([...args, "--workers", "1"]);
    expect(remote.status, remote.stderr).toBe(0);
    const settings = (run: typeof remote) =>
      (JSON.parse(run.stdout).ranked as { setting: { maPeriod: number } }[]).map((r) => r.setting.maPeriod);
    expect(settings(remote)).toEqual(settings(local));
    expect(settings(remote)).toEqual(Array.from({ length: 19 }, (_, i) => 10 + 5 * i));
  }, 120_000);

  it("searches a whole account on AWS exactly as here: ranking, entries and the account's settings", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aws-portfolio-"));
    const csvDir = join(dir, "candles");
    mkdirSync(csvDir);
    copyFileSync(marketCsv("BNBUSDT-4h"), join(csvDir, "BNBUSDT-4h.csv"));
    writeCandlesCsv(join(csvDir, "ETHUSDT-4h.csv"), derivedCandles("ETHUSDT", "4h"));
    const filter = { tickSize: "0.01", stepSize: "0.001", minNotional: "5" };
    writeFileSync(join(dir, "filters.json"), JSON.stringify({ BNBUSDT: filter, ETHUSDT: filter }));
    const watchlist = ["BNBUSDT", "ETHUSDT"].map((symbol) => ({
      symbol,
      timeframes: ["4h"],
      strategy: "ma-distance",
      account: "desk",
    }));
    writeFileSync(
      join(dir, "cdk.json"),
      JSON.stringify({ context: { tradingBot: { maxOpenPositions: 2, watchlist } } }),
    );
    const args = [
      "--strategy",
      "ma-distance",
      "--account",
      "desk",
      "--config",
      join(dir, "cdk.json"),
      "--data-dir",
      join(dir, "data"),
      "--filters",
      join(dir, "filters.json"),
      "--csv-dir",
      csvDir,
      "--param",
      "maPeriod=20..80:20",
      "--param",
      "maxOpenPositions=1,2",
      "--json",
    ];
    const remote = await optimize([...args, ...ON_AWS]);
    expect(remote.status, remote.stderr).toBe(0);
    const local = await optimize([...args, "--workers", "1"]);
    expect(local.status, local.stderr).toBe(0);
    expect(JSON.parse(remote.stdout)).toEqual(JSON.parse(local.stdout));
    expect(JSON.parse(remote.stdout).evaluated).toBe(8);
  }, 120_000);

  it("keeps starting and polling while Step Functions throttles, past the SDK's own tries: one search, complete", async () => {
    aws.sfn.throttleStarts = 5;
    aws.sfn.throttleDescribes = 5;
    const run = await optimize([...SEARCH, "--json", ...ON_AWS]);
    expect(run.status, run.stderr).toBe(0);
    expect([aws.sfn.throttleStarts, aws.sfn.throttleDescribes]).toEqual([0, 0]);
    expect(run.stderr).toContain("Step Functions: ThrottlingException on starting the search; asking again");
    expect(run.stderr).toContain("Step Functions: ThrottlingException; asking again");
    expect(run.stderr.match(/^Started /gm)).toHaveLength(1);
    expect(JSON.parse(run.stdout).evaluated).toBe(19);
  }, 120_000);

  it("retries a batch that fails once: the ranking is still whole", async () => {
    const tried = new Set<number>();
    aws.sfn.beforeBatch = async (first) => {
      if (first === 8 && !tried.has(first)) {
        tried.add(first);
        throw new Error("Lambda.ServiceException");
      }
    };
    const run = await optimize([...SEARCH, "--json", ...ON_AWS]);
    expect(run.status, run.stderr).toBe(0);
    expect(tried.has(8)).toBe(true);
    const result = JSON.parse(run.stdout);
    expect([result.evaluated, result.failed, result.notRun]).toEqual([19, 0, 0]);
  }, 120_000);

  it("a batch Lambda throttles 12 times in a row waits its turn: ranked whole, not failed", async () => {
    let throttled = 0;
    aws.sfn.beforeBatch = async (first) => {
      if (first === 8 && throttled < 12) {
        throttled++;
        throw new Error("Lambda.TooManyRequestsException");
      }
    };
    const run = await optimize([...SEARCH, "--json", ...ON_AWS]);
    expect(run.status, run.stderr).toBe(0);
    expect(throttled).toBe(12);
    const result = JSON.parse(run.stdout);
    expect([result.evaluated, result.failed, result.notRun]).toEqual([19, 0, 0]);
  }, 120_000);

  it("a batch failing every try: the rest ranked, the missing settings named, exit 1", async () => {
    let tries = 0;
    aws.sfn.beforeBatch = async (first) => {
      if (first !== 8) return;
      tries++;
      throw new Error("Lambda.Unknown"); // the worker timed out or ran out of memory
    };
    const run = await optimize([...SEARCH, ...ON_AWS]);
    expect(run.status).toBe(1);
    // 4 of 19 settings is more than the 5 % tolerated: the execution failed; what finished is kept.
    expect(run.stderr).toContain("The execution ended FAILED (States.ExceedToleratedFailureThreshold");
    expect(tries).toBe(3);
    expect(run.stderr).toContain("4 setting(s) in batches that failed on AWS (after 3 tries) are not ranked");
    expect(run.stdout).toContain(": 15 settings over");
    expect(run.stdout).toContain(
      "failed on AWS: 4 setting(s) whose batch failed every try; ranked without them",
    );
  }, 120_000);

  it("a search of which no batch finished is an error naming the execution, not an empty table", async () => {
    aws.sfn.beforeBatch = async () => {
      throw new Error("Runtime.ImportModuleError");
    };
    const run = await optimize([...SEARCH, ...ON_AWS]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /SearchFailedError: the search failed on AWS, no batch finished: the execution ended FAILED \(States\.ExceedToleratedFailureThreshold: .*\); see arn:aws:states:us-east-1:123456789012:execution:search:\S+ in the Step Functions console/,
    );
  }, 120_000);

  it("a batch's outcome broken in the bucket is named, and nothing is ranked from it", async () => {
    const release = aws.hold(8);
    const run = optimize([...SEARCH, "--json", ...ON_AWS]);
    let execution = [...aws.sfn.executions.values()].at(-1);
    for (let i = 0; i < 600; i++) {
      execution = [...aws.sfn.executions.values()].at(-1);
      if (execution?.status === "RUNNING" && execution.counts.succeeded >= 8) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const id = execution?.arn.split(":").at(-1) as string;
    const key = `searches/${id}/results/000000004.json`;
    aws.s3.objects.set(key, Buffer.from('{"evaluations": [{"setting": '));
    release();
    const { status, stdout, stderr } = await run;
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(`Error: s3://research-bucket/${key} is not a batch's outcome (`);
  }, 120_000);

  it.each([
    ["stops the execution", false],
    ["says how to stop an execution AWS would not stop", true],
  ])(
    "Ctrl-C %s and keeps the batches that finished",
    async (_, refused) => {
      aws.sfn.refuseStops = refused;
      const release = aws.hold(8);
      const { child, done } = startCli("optimize", [...SEARCH, "--json", ...ON_AWS], aws.env);
      // Once the first two batches have finished and the rest are held, Ctrl-C.
      for (let i = 0; i < 600; i++) {
        const execution = [...aws.sfn.executions.values()].at(-1);
        if (execution?.status === "RUNNING" && execution.counts.succeeded >= 8) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill("SIGINT");
      const { status, stdout, stderr } = await done;
      release();
      // The batches held in flight end (as aborted), as Lambda's invocations in flight do.
      await [...aws.sfn.executions.values()].at(-1)?.done;
      expect(status, stderr).toBe(0);
      expect(aws.sfn.calls).toContain("StopExecution");
      expect([...aws.sfn.executions.values()].at(-1)?.status).toBe(refused ? "SUCCEEDED" : "ABORTED");
      const result = JSON.parse(stdout);
      expect([result.evaluated, result.notRun, result.failed]).toEqual([8, 11, 0]);
      expect(stderr).toContain("Stopping the execution on AWS");
      const hint =
        "Could not stop the execution (AccessDeniedException): it may run on; stop it with aws stepfunctions stop-execution --execution-arn arn:aws:states:";
      if (refused) expect(stderr).toContain(hint);
      else expect(stderr).not.toContain("Could not stop");
    },
    120_000,
  );

  it("asks before spending more than --max-cost, and without a terminal runs nothing", async () => {
    const before = aws.s3.objects.size;
    expect(before).toBeGreaterThan(0);
    const run = await optimize([...SEARCH, "--on", "aws", "--max-cost", "0"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /Error: not run: the estimated \$\d+\.\d{2,6} is more than --max-cost \$0\.00; pass --yes, or a higher --max-cost/,
    );
    expect(aws.s3.objects.size).toBe(before);
    expect(starts()).toBe(0);
  }, 60_000);

  it("says what is wrong with the command line or the stack, running nothing", async () => {
    const cases: [string[], number, string][] = [
      [["--on", "gcp"], 2, 'Error: --on takes aws (the research stack), got "gcp"'],
      [["--max-cost", "2"], 2, "Error: --max-cost is for a search on AWS: add --on aws"],
      [["--on", "aws", "--workers", "2"], 2, "Error: --workers is for a search here"],
      [
        ["--on", "aws", "--batch-size", "0"],
        2,
        'Error: --batch-size must be a whole number from 1 to 1000, got "0"',
      ],
      [
        ["--on", "aws", "--max-cost", "cheap"],
        2,
        'Error: --max-cost must be an amount of US dollars such as 2.50, got "cheap"',
      ],
      [
        ["--on", "aws", "--stack", "Other"],
        2,
        "Error: no research stack Other-Research: deploy it (npm run deploy -- -c research=true --all), or name the trading stack beside it with --stack",
      ],
    ];
    for (const [flags, status, message] of cases) {
      const run = await optimize([...SEARCH, ...flags]);
      expect(run.stderr).toContain(message);
      expect(run.status).toBe(status);
    }
    expect(starts()).toBe(0);
  }, 120_000);
});
