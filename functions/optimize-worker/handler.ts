import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { runTask, type Task } from "../../shared/adapters/optimize/optimize-task.ts";
import type { Setting } from "../../shared/application/optimize/rule-params.ts";
import { ConfigurationError } from "../../shared/domain/errors.ts";

/**
 * The optimizer's worker on AWS: one Distributed Map child per batch of settings. The map hands
 * it `{"Items": [settings…], "BatchInput": {"dataKey": "<search>/data.json", "strategy": "…"}}`;
 * it reads the search's market (candles, filters, rules) from the research bucket once per
 * container and runs the batch with the very function the local worker threads run (runTask).
 * What it returns, the map's ResultWriter writes to the bucket.
 */
const bucket = process.env.BUCKET;
if (!bucket) throw new ConfigurationError("the environment variable BUCKET is not set");
const s3 = new S3Client(process.env.AWS_ENDPOINT_URL_S3 ? { forcePathStyle: true } : {});
const data = new Map<string, Promise<Omit<Task, "strategy" | "settings" | "first">>>();

async function read(key: string) {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!Body) throw new Error(`s3://${bucket}/${key} is empty`);
  return JSON.parse(await Body.transformToString()) as Omit<Task, "strategy" | "settings" | "first">;
}

export interface BatchEvent {
  readonly Items: readonly Setting[];
  readonly BatchInput: { readonly dataKey: string; readonly strategy: string };
}

export async function handler(event: BatchEvent) {
  const { dataKey, strategy } = event.BatchInput;
  const known = data.get(dataKey) ?? read(dataKey);
  data.set(dataKey, known);
  known.catch(() => data.delete(dataKey));
  return runTask({ ...(await known), strategy, settings: event.Items, first: false });
}
