import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RESEARCH_LIMITS } from "../../../shared/adapters/optimize/search-layout.ts";
import {
  batchSizeFor,
  fanOutEstimate,
  MAX_BATCH_SETTINGS,
  TARGET_BATCH_SECONDS,
} from "../../../shared/application/optimize/fan-out-cost.ts";

const usd = (n: number) => `$${n.toFixed(2)}`;

describe("the cost of a search fanned out on the research stack", () => {
  it("counts batches, GB-seconds, transitions and dollars, and the waves the workers make", () => {
    const e = fanOutEstimate({
      settings: 1_001,
      batchSize: 10,
      secondsPerBatch: 2,
      memoryGb: 1,
      workers: 50,
    });
    expect([e.batches, e.gbSeconds, e.transitions, e.wallSeconds]).toEqual([101, 202, 205, 6]);
    expect(e.dollars.lambda).toBeCloseTo(202 * 0.0000133334 + 101 * 0.0000002, 12);
    expect(e.dollars.stepFunctions).toBeCloseTo(205 * 0.000025, 12);
    expect(e.dollars.total).toBeCloseTo(e.dollars.lambda + e.dollars.stepFunctions + e.dollars.s3, 12);
  });

  it("docs/optimize.md's worked example is what the functions say: the batch size chosen, the cost and the time", () => {
    const memoryGb = RESEARCH_LIMITS.memoryMb / 1024;
    const pace = 0.51;
    const size100 = batchSizeFor(10_000, pace, 100, RESEARCH_LIMITS.timeoutSeconds);
    const size1000 = batchSizeFor(10_000, pace, 1_000, RESEARCH_LIMITS.timeoutSeconds);
    expect([size100, size1000]).toEqual([100, 10]);
    const at = (batchSize: number, workers: number) =>
      fanOutEstimate({ settings: 10_000, batchSize, secondsPerBatch: pace * batchSize, memoryGb, workers });
    const e100 = at(100, 100);
    const e1000 = at(10, 1_000);
    const doc = readFileSync(new URL("../../../docs/optimize.md", import.meta.url), "utf8").replace(
      /\s+/g,
      " ",
    );
    const gbs = (e: typeof e100) =>
      `${Math.round(e.gbSeconds).toLocaleString("en")} GB-s (${usd(e.dollars.lambda)})`;
    expect(doc).toContain(`${e100.batches} batches of 100 (${pace * 100} s each): ${gbs(e100)}`);
    expect(doc).toContain(`${e100.transitions} state transitions (${usd(e100.dollars.stepFunctions)})`);
    expect(doc).toContain(
      `about ${usd(e100.dollars.total)} in all, ${Math.round(e100.wallSeconds)} s of work`,
    );
    expect(doc).toContain(`${e1000.batches.toLocaleString("en")} batches of 10: ${gbs(e1000)}`);
    expect(doc).toContain(
      `${e1000.transitions.toLocaleString("en")} state transitions (${usd(e1000.dollars.stepFunctions)})`,
    );
    expect(doc).toContain(
      `about ${usd(e1000.dollars.total)} in all, ${e1000.wallSeconds.toFixed(1)} s of work`,
    );
    expect(doc).toContain(`seconds × ${memoryGb.toFixed(4)} GB`);
    // The batch size's example.
    const size = batchSizeFor(10_000, 0.71, 100, RESEARCH_LIMITS.timeoutSeconds) as number;
    expect(doc).toContain(
      `10,000 settings at 0.71 s: ${10_000 / size} batches of ${size}, two waves of ${Math.round(0.71 * size)} s`,
    );
  });
});

describe("a search's batch size on the research stack", () => {
  it("spreads the settings over the workers in as few waves as batches within a minute allow, within the map's input limit", () => {
    // 10,000 quick settings over 100 workers: 100 a batch.
    expect(batchSizeFor(10_000, 0.002, 100, 300)).toBe(100);
    // 0.5 s a setting: 120 would fit in a minute, but 100 a batch already spreads them.
    expect(batchSizeFor(10_000, 0.5, 100, 300)).toBe(100);
    // 2 s a setting: 30 fit in a minute, so 4 waves are needed; spread evenly over them, 25 a batch
    // (400 batches of 50 s: 200 s, where batches of 30 would take 4 waves of 60 s).
    expect(batchSizeFor(10_000, 2, 100, 300)).toBe(25);
    // 0.71 s a setting: 84 fit in a minute; 2 waves of 50 (71 s) rather than 121 batches of 84 in 2 waves (119 s).
    expect(batchSizeFor(10_000, 0.71, 100, 300)).toBe(50);
    // A few settings: one each.
    expect(batchSizeFor(7, 0.1, 100, 300)).toBe(1);
    // Very quick settings on few workers: capped at 1,000 items.
    expect(batchSizeFor(1_000_000, 0.000_01, 100, 300)).toBe(MAX_BATCH_SETTINGS);
    // A setting that takes 40 s: one a batch.
    expect(batchSizeFor(100, 40, 100, 300)).toBe(1);
    expect(TARGET_BATCH_SECONDS).toBe(60);
  });

  it("refuses a setting that alone would come near the worker's time limit", () => {
    expect(batchSizeFor(10, 151, 100, 300)).toBeUndefined();
    expect(batchSizeFor(10, 150, 100, 300)).toBe(1);
  });
});
