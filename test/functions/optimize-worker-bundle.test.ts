import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeBatches, runSettings } from "../../cli/optimize/run-settings.ts";
import { S3StandIn } from "../../cli/stand-ins/s3-stand-in.ts";
import { decodeBatch } from "../../shared/adapters/optimize/batch-codec.ts";
import { marketData } from "../../shared/adapters/optimize/optimize-task.ts";
import { type BatchSummary, searchKeys } from "../../shared/adapters/optimize/search-layout.ts";
import { rankAndValidate, timeline } from "../../shared/application/optimize/optimize.ts";
import { grid, parseAxis } from "../../shared/application/optimize/search-space.ts";
import { findStrategy } from "../../shared/domain/strategies/registry.ts";
import { bnb4hMarket } from "../helpers/bnb-market.ts";
import { synthResearch } from "../helpers/research-bundle.ts";
import { WorkerContainers } from "../helpers/worker-containers.ts";

const BUCKET = "research-bucket";
const KEYS = searchKeys("s1");

describe("the optimizer's worker, as synthesized, runs a search's batches; merged, they rank as the local search does", () => {
  let s3: S3StandIn;
  let worker: WorkerContainers;
  const strategy = findStrategy("ma-distance");
  const market = marketData(bnb4hMarket());
  const settings = grid(Object.fromEntries([parseAxis(strategy, "maPeriod=10..100:5")]));

  beforeAll(async () => {
    s3 = await S3StandIn.start(BUCKET);
    s3.objects.set(KEYS.dataKey, Buffer.from(JSON.stringify({ market })));
    const { bundle } = synthResearch(BUCKET);
    worker = await WorkerContainers.start(
      bundle,
      {
        BUCKET,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        AWS_ENDPOINT_URL_S3: s3.url,
      },
      1,
    );
  }, 120_000);
  afterAll(async () => {
    worker?.close();
    await s3?.close();
  });

  it("writes each batch's outcome beside the data and returns a summary; merged, the outcomes equal the local search's to the last digit", async () => {
    // The batches as the map's ItemBatcher hands them: 4 items each, with the search's data key.
    const items = settings.map((setting, index) => ({ index, setting }));
    const summaries: BatchSummary[] = [];
    for (let i = 0; i < items.length; i += 4)
      summaries.push(
        (await worker.invoke({
          Items: items.slice(i, i + 4),
          BatchInput: { dataKey: KEYS.dataKey, strategy: "ma-distance" },
        })) as BatchSummary,
      );
    expect(summaries.map((s) => s.from)).toEqual(items.filter((_, i) => i % 4 === 0).map((it) => it.index));
    expect(summaries[1]).toEqual({
      from: 4,
      count: 4,
      key: `${KEYS.resultsPrefix}000000004.json`,
      evaluated: 4,
      skipped: 0,
    });
    // A summary is small whatever the batch (a state's output is at most 256 KB); the outcome is in the bucket.
    expect(Math.max(...summaries.map((s) => JSON.stringify(s).length))).toBeLessThan(200);
    // The data was read once: one container, one GetObject.
    expect(s3.calls.filter((c) => c.method === "GET" && c.key === KEYS.dataKey)).toHaveLength(1);
    const remote = mergeBatches(summaries.map((s) => decodeBatch(s3.text(s.key) ?? "")));
    const local = await runSettings({
      market,
      strategy: "ma-distance",
      settings,
      workers: 1,
      onProgress: () => {},
      stopped: () => false,
    });
    expect(remote.evaluations).toHaveLength(settings.length);
    // Every figure, the days' typed arrays included, equal to the last bit.
    expect(remote.evaluations).toEqual(local.evaluations);
    expect(remote.evaluations[0]?.dayEquity).toBeInstanceOf(Float64Array);
    const line = timeline(bnb4hMarket());
    const rank = (evaluations: typeof local.evaluations) =>
      rankAndValidate(evaluations, {
        objective: "sharpe",
        minTrades: 1,
        initialBalance: 10_000,
        calendar: line.calendar,
        start: line.start,
      });
    expect(rank(remote.evaluations)).toEqual(rank(local.evaluations));
  }, 120_000);

  it("keeps one search's data in a warm container, never more: another search's replaces it", async () => {
    const other = searchKeys("s2");
    s3.objects.set(other.dataKey, Buffer.from(JSON.stringify({ market })));
    const batch = (dataKey: string) =>
      worker.invoke({
        Items: [{ index: 0, setting: settings[0] }],
        BatchInput: { dataKey, strategy: "ma-distance" },
      });
    const reads = (key: string) => s3.calls.filter((c) => c.method === "GET" && c.key === key).length;
    const before = reads(KEYS.dataKey);
    await batch(other.dataKey);
    await batch(other.dataKey);
    await batch(KEYS.dataKey);
    expect(reads(other.dataKey)).toBe(1);
    expect(reads(KEYS.dataKey)).toBe(before + 1);
  }, 60_000);
});
