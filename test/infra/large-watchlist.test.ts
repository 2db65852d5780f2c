import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { resourcesOf, synthApp } from "../helpers/cdk-app.ts";

const run = promisify(execFile);
type Resource = { Type: string; Properties: Record<string, unknown> };
const watchlistOf = (symbols: number, timeframes: string[]) =>
  Array.from({ length: symbols }, (_, i) => ({ symbol: `COIN${i}USDT`, timeframes }));

describe("a watchlist of 1,000 pairs", () => {
  it("is scheduled in 200 rules, its settings built into the bundle (Lambda's 4 KB of variables hold about 30), and the function reads them", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "cdk-big-"));
    const { app, stack } = synthApp({ watchlist: watchlistOf(500, ["1h", "4h"]) }, { bundle: true, outdir });
    const template = app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<string, Resource>;
    };
    const resources = Object.values(template.Resources);
    expect(resourcesOf(stack, "AWS::Events::Rule")).toHaveLength(200);
    const fn = resources.find((r) => r.Type === "AWS::Lambda::Function") as Resource;
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.TRADING_BOT).toBeUndefined();
    expect(JSON.stringify(variables).length).toBeLessThan(4_096);
    const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(".zip", "");
    const bundle = join(outdir, `asset.${key}`, "index.mjs");
    expect(readFileSync(bundle, "utf8")).toContain("COIN499USDT");
    // A cold start in a fresh Node process with only the function's variables: the settings load,
    // and a live event for a pair not in them is refused by the watchlist (nothing else is called).
    const env = {
      PATH: process.env.PATH ?? "",
      TABLE_NAME: "t",
      ALERT_TOPIC_ARN: "arn:aws:sns:us-east-1:1:t",
      AWS_REGION: "us-east-1",
    };
    const script = `const { handler } = await import(${JSON.stringify(`file://${bundle}`)});
      const result = await handler({ symbol: "COIN500USDT", timeframe: "4h" });
      process.stdout.write(JSON.stringify(result));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      env,
      timeout: 60_000,
    });
    const result = JSON.parse(
      stdout
        .split("\n")
        .filter((l) => l.startsWith('{"status"'))
        .at(-1) ?? stdout,
    );
    expect(result).toMatchObject({ status: "failed", error: { type: "UnscheduledPairError" } });
    expect(result.error.message).toContain("COIN500USDT 4h (account paper) is not in the watchlist");
  }, 120_000);

  it("past the event bus's rule quota, synth stops saying what to do", () => {
    // 1,505 pairs on one timeframe: 301 rules.
    expect(() => synthApp({ watchlist: watchlistOf(1_505, ["1h"]) })).toThrowError(
      /need 301 EventBridge rules \(5 pairs a rule, per timeframe\), more than the 300 the event bus allows .*raise "Maximum number of rules per event bus" in Service Quotas and set ruleQuota/,
    );
    expect(() => synthApp({ watchlist: watchlistOf(1_500, ["1h"]) })).not.toThrow();
    expect(() => synthApp({ watchlist: watchlistOf(1_505, ["1h"]), ruleQuota: 400 })).not.toThrow();
  });
});
