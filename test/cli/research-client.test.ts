import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResearchClient } from "../../cli/optimize/research-client.ts";
import { marketData } from "../../shared/adapters/optimize/optimize-task.ts";
import { bnb4hMarket } from "../helpers/bnb-market.ts";
import { RESEARCH_BUCKET, SEARCH_MACHINE, startResearchStandIns } from "../helpers/research-stand-ins.ts";

let aws: Awaited<ReturnType<typeof startResearchStandIns>>;
beforeAll(async () => {
  aws = await startResearchStandIns();
}, 120_000);
afterAll(async () => aws?.close());

describe("the research stack's client (npm run optimize -- --on aws's calls)", () => {
  it("follows the map run's item counts, stops the execution and reads back the batches that finished", async () => {
    Object.assign(process.env, aws.env);
    const client = await ResearchClient.of("FibonacciPaperTrader");
    expect([client.bucket, client.stateMachineArn]).toEqual([RESEARCH_BUCKET, SEARCH_MACHINE]);
    const release = aws.hold(8);
    const market = marketData(bnb4hMarket());
    const settings = Array.from({ length: 19 }, (_, i) => ({ maPeriod: 10 + 5 * i }));
    const search = await client.upload("progress-1", { market }, settings, {
      strategy: "ma-distance",
      batchSize: 4,
    });
    const arn = await client.start("progress-1", search);
    // Asked again (a start whose answer was lost): the same execution, not a second one.
    expect(await client.start("progress-1", search)).toBe(arn);
    expect(aws.sfn.executions.size).toBe(1);
    let progress = await client.progress(arn);
    for (let i = 0; i < 600 && progress.done < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      progress = await client.progress(arn);
    }
    expect(progress).toEqual({ status: "RUNNING", done: 8, total: 19, failed: 0 });
    await client.stop(arn);
    release();
    await aws.sfn.executions.get(arn)?.done;
    const ended = await client.progress(arn);
    expect(ended).toMatchObject({ status: "ABORTED", done: 19, total: 19, failed: 0 });
    const batches = await client.results("progress-1");
    expect([...batches.keys()].sort((a, b) => a - b)).toEqual([0, 4, 8, 12, 16]);
    expect(batches.get(4)?.evaluations.map((e) => e.setting)).toEqual(settings.slice(4, 8));
    // ListMapRuns once an execution: the map run's ARN is kept.
    expect(aws.sfn.calls.filter((c) => c === "ListMapRuns")).toHaveLength(1);
  }, 120_000);
});
