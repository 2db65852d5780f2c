import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { marketData, rulesData } from "../../shared/adapters/optimize/optimize-task.ts";
import { fanOutPlan, searchKeys } from "../../shared/adapters/optimize/search-layout.ts";
import type { Setting } from "../../shared/application/optimize/rule-params.ts";
import { grid, parseAxis } from "../../shared/application/optimize/search-space.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { toCandleSeries } from "../../shared/domain/market/candle-series.ts";
import { findStrategy } from "../../shared/domain/strategies/registry.ts";
import { BNBUSDT_FILTERS } from "../backtest/backtest-data.ts";
import { S3StandIn } from "../stand-ins/s3-stand-in.ts";
import { bundle } from "./bundle-bench.ts";
import { twentyPairs } from "./portfolio-bench.ts";

const WORKER = fileURLToPath(new URL("../../functions/optimize-worker/handler.ts", import.meta.url));
const BUCKET = "bench-research";
const FIRST = 299;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** A search's projection from a measured pace (a setting never nears the time limit here). */
const projection = (settings: number, secondsPerSetting: number, workers: number) =>
  fanOutPlan(settings, secondsPerSetting, workers) as NonNullable<ReturnType<typeof fanOutPlan>>;

/**
 * The optimizer's worker as the research stack runs it: its bundle (built as the CDK app builds
 * it) handed batches, as the Distributed Map hands them, against a loopback S3 holding a search's
 * data: 200 ma-distance settings a batch over a year of 1h candles of one pair, and 10 a batch over
 * 20 pairs; the first batch reads the data, the others are warm. Then a 10,000-setting search of
 * each, projected at 100 and 1,000 workers (and the 20-pair one scaled to 200 pairs).
 */
export async function benchFanOut(year: readonly Candle[]) {
  const file = await bundle({ file: WORKER }, mkdtempSync(join(tmpdir(), "fan-out-bench-")), "worker");
  const s3 = await S3StandIn.start(BUCKET);
  try {
    const pairKeys = searchKeys("pair");
    const accountKeys = searchKeys("account");
    const market = marketData({
      symbol: "BNBUSDT",
      timeframe: "1h",
      candles: year,
      series: toCandleSeries(year),
      firstIndex: FIRST,
      end: year.length,
      filters: BNBUSDT_FILTERS,
      config: DEFAULT_CYCLE_CONFIG,
    });
    s3.objects.set(pairKeys.dataKey, Buffer.from(JSON.stringify({ market })));
    const pairs = twentyPairs(year);
    const portfolio = {
      pairs: pairs.map((p) => ({ ...p, strategy: "ma-distance", params: {}, risk: undefined })),
      from: (year[FIRST] as Candle).openTime,
      to: (year.at(-1) as Candle).openTime,
      rules: rulesData({
        ...DEFAULT_CYCLE_CONFIG,
        rules: { ...DEFAULT_CYCLE_CONFIG.rules, maxOpenPositions: 5 },
      }),
    };
    s3.objects.set(accountKeys.dataKey, Buffer.from(JSON.stringify({ portfolio })));
    Object.assign(process.env, {
      BUCKET,
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_REGION: process.env.AWS_REGION ?? "us-east-1",
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "bench",
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "bench",
    });
    const { handler } = (await import(pathToFileURL(file).href)) as {
      handler: (event: unknown) => Promise<{ evaluated: number }>;
    };
    const ma = findStrategy("ma-distance");
    const settings = grid(Object.fromEntries([parseAxis(ma, "maPeriod=20..219:1")]));
    const timeBatch = async (dataKey: string, batch: readonly Setting[], from: number) => {
      const started = performance.now();
      const items = batch.map((setting, k) => ({ index: from + k, setting }));
      const summary = await handler({ Items: items, BatchInput: { dataKey, strategy: "ma-distance" } });
      if (summary.evaluated !== batch.length) throw new Error("the worker skipped settings");
      return (performance.now() - started) / 1000;
    };
    const pairCold = await timeBatch(pairKeys.dataKey, settings, 0);
    const pairWarm: number[] = [];
    for (let i = 1; i <= 5; i++) pairWarm.push(await timeBatch(pairKeys.dataKey, settings, i * 200));
    const accountCold = await timeBatch(accountKeys.dataKey, settings.slice(0, 10), 0);
    const accountWarm: number[] = [];
    for (let i = 1; i <= 3; i++)
      accountWarm.push(await timeBatch(accountKeys.dataKey, settings.slice(i * 10, i * 10 + 10), i * 10));
    const pairBatch = median(pairWarm);
    const accountBatch = median(accountWarm);
    const pairPace = pairBatch / 200;
    const accountPace = accountBatch / 10;
    return {
      pairBatchSeconds: pairBatch,
      pairColdSeconds: pairCold,
      accountBatchSeconds: accountBatch,
      accountColdSeconds: accountCold,
      accountPairs: pairs.length,
      pair: { at100: projection(10_000, pairPace, 100), at1000: projection(10_000, pairPace, 1_000) },
      account: {
        at100: projection(10_000, accountPace, 100),
        at1000: projection(10_000, accountPace, 1_000),
      },
      account200: {
        at100: projection(10_000, (accountPace * 200) / pairs.length, 100),
        at1000: projection(10_000, (accountPace * 200) / pairs.length, 1_000),
      },
    };
  } finally {
    await s3.close();
  }
}
