import { spawnSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { BUNDLE_SETTINGS, FUNCTION_ALIASES } from "../../infra/bundle-options.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HANDLER = `${ROOT}functions/trading-cycle/handler.ts`;
const NOTIFIER = `${ROOT}functions/alert-notifier/handler.ts`;
const BASELINE = `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));`;

/** The cold-start environment the handler validates; nothing is called. */
const ENV = {
  TABLE_NAME: "bench",
  ALERT_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:bench",
  TRADING_BOT: '{"watchlist":[{"symbol":"BNBUSDT","timeframes":["4h"]}]}',
  AWS_REGION: "us-east-1",
  CHANNEL: '{"name":"phone","type":"telegram","secretParameter":"/bench/token","chatId":"1"}',
};

export async function bundle(
  entry: { file: string } | { source: string },
  dir: string,
  name: string,
): Promise<string> {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    ...BUNDLE_SETTINGS,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    banner: { js: BUNDLE_SETTINGS.banner },
    ...("file" in entry
      ? { entryPoints: [entry.file], alias: { ...FUNCTION_ALIASES } }
      : { stdin: { contents: entry.source, resolveDir: ROOT, loader: "js" } }),
    bundle: true,
    outfile,
    logLevel: "silent",
  });
  return outfile;
}

/** Median milliseconds to import a module in a fresh Node process (what a Lambda cold start pays). */
function importMs(file: string, runs: number): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      env: { PATH: process.env.PATH ?? "", ...ENV },
      encoding: "utf8",
    });
    if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
    times.push(Number(child.stdout));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export interface BundleFigures {
  notifierBytes: number;
  notifierImportMs: number;
  bundleBytes: number;
  baselineBytes: number;
  importMs: number;
  baselineImportMs: number;
}

/** Builds the function's bundle (as the CDK app does: its credential alias included) and the DynamoDB-document-client-only one with the same esbuild settings. */
export async function buildBundles(): Promise<{ fn: string; baseline: string; notifier: string }> {
  const dir = mkdtempSync(join(tmpdir(), "bundle-bench-"));
  return {
    baseline: await bundle({ source: BASELINE }, dir, "baseline"),
    fn: await bundle({ file: HANDLER }, dir, "handler"),
    notifier: await bundle({ file: NOTIFIER }, dir, "notifier"),
  };
}

/** The function's bundle against a DynamoDB-document-client-only bundle, built and measured in the same run. */
export async function benchBundle(runs = 9): Promise<BundleFigures> {
  const { fn, baseline, notifier } = await buildBundles();
  importMs(baseline, 2); // warm the file cache
  importMs(fn, 2);
  importMs(notifier, 2);
  return {
    notifierBytes: statSync(notifier).size,
    notifierImportMs: importMs(notifier, runs),
    bundleBytes: statSync(fn).size,
    baselineBytes: statSync(baseline).size,
    importMs: importMs(fn, runs),
    baselineImportMs: importMs(baseline, runs),
  };
}
