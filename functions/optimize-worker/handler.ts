import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { encodeBatch } from "../../shared/adapters/optimize/batch-codec.ts";
import { runTask, type Task } from "../../shared/adapters/optimize/optimize-task.ts";
import {
  type BatchEvent,
  type BatchSummary,
  batchResultKey,
} from "../../shared/adapters/optimize/search-layout.ts";
import { ConfigurationError } from "../../shared/domain/errors.ts";

/**
 * The optimizer's worker on AWS: one Distributed Map child per batch of settings. The map hands
 * it `{"Items": [{"index", "setting"}…], "BatchInput": {"dataKey": "searches/<id>/data.json",
 * "strategy": "…"}}`; it reads the search's market (candles, filters, rules) from the research
 * bucket once per container (the last search's only), runs the batch with the very function the local worker threads run
 * (runTask), writes the outcome beside the data (`searches/<id>/results/<first index>.json`: a
 * batch's days are larger than a state's 256 KB) and returns a summary, which the map's
 * ResultWriter records.
 */
const bucket = process.env.BUCKET;
if (!bucket) throw new ConfigurationError("the environment variable BUCKET is not set");
const s3 = new S3Client(process.env.AWS_ENDPOINT_URL_S3 ? { forcePathStyle: true } : {});
type SearchData = Omit<Task, "strategy" | "settings" | "first">;
/** The last search's data: a warm container keeps one search's (up to 256 MB), never more. */
let cached: { key: string; data: Promise<SearchData> } | undefined;

async function read(key: string): Promise<SearchData> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!Body) throw new Error(`s3://${bucket}/${key} is empty`);
  return JSON.parse(await Body.transformToString()) as SearchData;
}

export async function handler(event: BatchEvent): Promise<BatchSummary> {
  const { dataKey, strategy } = event.BatchInput;
  const first = event.Items[0];
  if (!first) throw new Error("an empty batch");
  if (cached?.key !== dataKey) {
    const entry = { key: dataKey, data: read(dataKey) };
    cached = entry;
    entry.data.catch(() => {
      if (cached === entry) cached = undefined;
    });
  }
  const known = cached.data;
  const outcome = runTask({
    ...(await known),
    strategy,
    settings: event.Items.map((item) => item.setting),
    // The search's first batch checks the strategy for lookahead, as the local search's does.
    first: first.index === 0,
  });
  const key = batchResultKey(dataKey, first.index);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: encodeBatch(outcome),
      ContentType: "application/json",
    }),
  );
  return {
    from: first.index,
    count: event.Items.length,
    key,
    evaluated: outcome.evaluations.length,
    skipped: outcome.skipped.length,
  };
}
