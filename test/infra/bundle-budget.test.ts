import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildBundles } from "../../cli/bench/bundle-bench.ts";

describe("the function's bundle", () => {
  it("stays within 1.3× the size of a bundle holding only the DynamoDB document client", async () => {
    const { fn, baseline } = await buildBundles();
    const [size, base] = [statSync(fn).size, statSync(baseline).size];
    expect(size).toBeGreaterThan(base);
    expect(size / base).toBeLessThanOrEqual(1.3);
  });
});
