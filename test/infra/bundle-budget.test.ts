import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildBundles } from "../../cli/bench/bundle-bench.ts";

describe("the function's bundle", () => {
  it("stays within 1.3× the size of a bundle holding only the DynamoDB document client", async () => {
    const { fn, baseline } = await buildBundles();
    const [size, base] = [statSync(fn).size, statSync(baseline).size];
    const code = readFileSync(fn, "utf8");
    // It holds what the function calls, and not the credential chain Lambda never uses.
    expect(code).toContain("TransactWriteItems");
    expect(code).toContain("Publish");
    expect(code).toContain("AWS_SESSION_TOKEN");
    expect(code).not.toContain("sso_start_url");
    expect(size / base).toBeLessThanOrEqual(1.3);
  });
});
