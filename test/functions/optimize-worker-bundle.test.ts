import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BNBUSDT_FILTERS } from "../../cli/backtest/backtest-data.ts";
import { mergeBatches, runSettings } from "../../cli/optimize/run-settings.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { marketData } from "../../shared/adapters/optimize/optimize-task.ts";
import { rankAndValidate, timeline } from "../../shared/application/optimize/optimize.ts";
import { grid, parseAxis } from "../../shared/application/optimize/search-space.ts";
import { toCandleSeries } from "../../shared/domain/market/candle-series.ts";
import { findStrategy } from "../../shared/domain/strategies/registry.ts";
import { AwsApiEndpoint } from "../helpers/aws-api-endpoint.ts";
import { synthApp } from "../helpers/cdk-app.ts";
import { fixtureCandles } from "../helpers/fixtures.ts";

const run = promisify(execFile);
const BUCKET = "research-bucket";
const DATA_KEY = "searches/s1/data.json";

describe("the optimizer's worker, as synthesized, runs a search's batches; merged, they rank as the local search does", () => {
  let s3: AwsApiEndpoint;
  let bundle = "";
  const objects = new Map<string, string>();
  const candles = fixtureCandles("BNBUSDT-4h");
  const strategy = findStrategy("ma-distance");
  const market = marketData({
    symbol: "BNBUSDT",
    timeframe: "4h",
    candles,
    series: toCandleSeries(candles),
    firstIndex: 299,
    end: candles.length,
    filters: BNBUSDT_FILTERS,
    config: { ...DEFAULT_CYCLE_CONFIG, defaultAccountId: "optimize" },
  });
  const settings = grid(Object.fromEntries([parseAxis(strategy, "maPeriod=10..100:5")]));

  beforeAll(async () => {
    // S3's REST protocol, path style: GET /<bucket>/<key> answers the object.
    s3 = await AwsApiEndpoint.start((call, res) => {
      const key = decodeURIComponent(call.path.split("?")[0]?.replace(`/${BUCKET}/`, "") ?? "");
      const body = objects.get(key);
      res.writeHead(body ? 200 : 404, { "content-type": body ? "application/json" : "application/xml" });
      res.end(body ?? "<Error><Code>NoSuchKey</Code></Error>");
    });
    objects.set(DATA_KEY, JSON.stringify({ market }));
    const outdir = mkdtempSync(join(tmpdir(), "cdk-research-"));
    const { app } = synthApp({ research: true }, { bundle: true, outdir });
    const assembly = app.synth();
    const research = assembly.stacks.find((s) => s.stackName.endsWith("-Research"));
    type Fn = { Type: string; Properties: { Code: { S3Key: string } } };
    if (!research) throw new Error("no research stack synthesized");
    const worker = Object.values((research.template as { Resources: Record<string, Fn> }).Resources).find(
      (r) => r.Type === "AWS::Lambda::Function",
    );
    bundle = join(outdir, `asset.${worker?.Properties.Code.S3Key.replace(".zip", "")}`, "index.mjs");
  }, 120_000);
  afterAll(() => s3.close());

  it("equals the local search to the last digit", async () => {
    // The batches as the map's ItemBatcher hands them: 4 settings each, with the search's data key.
    const batches: (typeof settings)[] = [];
    for (let i = 0; i < settings.length; i += 4) batches.push(settings.slice(i, i + 4));
    const events = batches.map((Items) => ({
      Items,
      BatchInput: { dataKey: DATA_KEY, strategy: "ma-distance" },
    }));
    const out = join(mkdtempSync(join(tmpdir(), "worker-")), "results.json");
    const script = `import { writeFileSync } from "node:fs";
      const { handler } = await import(${JSON.stringify(`file://${bundle}`)});
      const results = [];
      for (const event of ${JSON.stringify(events)}) results.push(await handler(event));
      writeFileSync(${JSON.stringify(out)}, JSON.stringify(results));`;
    await run(process.execPath, ["--input-type=module", "-e", script], {
      env: {
        PATH: process.env.PATH ?? "",
        BUCKET,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        AWS_ENDPOINT_URL_S3: s3.url,
      },
      timeout: 60_000,
    });
    const remote = mergeBatches(JSON.parse(readFileSync(out, "utf8")));
    // The data was read once: one container, one GetObject.
    expect(s3.calls.filter((c) => c.method === "GET")).toHaveLength(1);
    const local = await runSettings({
      market,
      strategy: "ma-distance",
      settings,
      workers: 1,
      onProgress: () => {},
      stopped: () => false,
    });
    expect(remote.evaluations).toHaveLength(settings.length);
    expect(JSON.stringify(remote.evaluations)).toBe(JSON.stringify(local.evaluations));
    const line = timeline({
      ...market,
      series: toCandleSeries(candles),
      config: { ...DEFAULT_CYCLE_CONFIG },
    });
    const rank = (evaluations: typeof local.evaluations) =>
      rankAndValidate(evaluations, {
        objective: "sharpe",
        minTrades: 1,
        initialBalance: 10_000,
        calendar: line.calendar,
        start: line.start,
      });
    expect(JSON.stringify(rank(remote.evaluations))).toBe(JSON.stringify(rank(local.evaluations)));
  }, 120_000);
});
