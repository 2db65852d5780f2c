import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { type BatchOutcome, decodeBatch } from "../../shared/adapters/optimize/batch-codec.ts";
import {
  dataSizeProblem,
  RESEARCH_OUTPUTS,
  researchStackName,
  type SearchInput,
  type SearchItem,
  searchKeys,
} from "../../shared/adapters/optimize/search-layout.ts";
import type { Setting } from "../../shared/application/optimize/rule-params.ts";
import { UsageError } from "../cli-errors.ts";
import { stackOutputs } from "../stack-outputs.ts";

/** Where a search's execution stands, from the execution and its map run's item counts. */
export interface SearchProgress {
  readonly status: string;
  /** Settings whose batch ended (succeeded, failed, timed out or aborted). */
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  readonly error?: string;
}

/** The research stack as `npm run optimize -- --on aws` uses it: the bucket and the state machine. */
export class ResearchClient {
  readonly #s3 = new S3Client(process.env.AWS_ENDPOINT_URL_S3 ? { forcePathStyle: true } : {});
  readonly #sfn = new SFNClient({});
  /** An execution's map run, once it has one. */
  readonly #mapRuns = new Map<string, string>();

  readonly bucket: string;
  readonly stateMachineArn: string;

  private constructor(bucket: string, stateMachineArn: string) {
    this.bucket = bucket;
    this.stateMachineArn = stateMachineArn;
  }

  /** The research stack beside the trading stack named, from its outputs. */
  static async of(stackName: string): Promise<ResearchClient> {
    const name = researchStackName(stackName);
    const deploy = "npm run deploy -- -c research=true --all";
    const outputs = await stackOutputs(
      name,
      [RESEARCH_OUTPUTS.bucket, RESEARCH_OUTPUTS.stateMachine],
      deploy,
    ).catch((error: Error) => {
      if (/does not exist/i.test(error.message))
        throw new UsageError(
          `no research stack ${name}: deploy it (${deploy}), or name the trading stack beside it with --stack`,
        );
      throw error;
    });
    return new ResearchClient(outputs[RESEARCH_OUTPUTS.bucket], outputs[RESEARCH_OUTPUTS.stateMachine]);
  }

  /** Writes the search's data and its settings (each with its place): the execution's input. */
  async upload(
    id: string,
    data: unknown,
    settings: readonly Setting[],
    input: Omit<SearchInput, "settingsKey" | "dataKey">,
  ): Promise<SearchInput> {
    const keys = searchKeys(id);
    const items: SearchItem[] = settings.map((setting, index) => ({ index, setting }));
    const text = JSON.stringify(data);
    const tooLarge = dataSizeProblem(Buffer.byteLength(text));
    if (tooLarge) throw new UsageError(tooLarge);
    await this.#put(keys.dataKey, text);
    await this.#put(keys.settingsKey, JSON.stringify(items));
    return { ...input, settingsKey: keys.settingsKey, dataKey: keys.dataKey };
  }

  /**
   * Starts the execution named `id`. Asked again with the same name and input while it runs,
   * Step Functions answers the same execution (a Standard workflow's start is idempotent).
   */
  async start(id: string, search: SearchInput): Promise<string> {
    const { executionArn } = await this.#sfn.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: id,
        input: JSON.stringify(search),
      }),
    );
    if (!executionArn) throw new Error("Step Functions started no execution");
    return executionArn;
  }

  async progress(executionArn: string): Promise<SearchProgress> {
    const execution = await this.#sfn.send(new DescribeExecutionCommand({ executionArn }));
    const status = execution.status ?? "RUNNING";
    const error = [execution.error, execution.cause].filter(Boolean).join(": ") || undefined;
    if (!this.#mapRuns.has(executionArn)) {
      const { mapRuns } = await this.#sfn.send(new ListMapRunsCommand({ executionArn }));
      const found = mapRuns?.[0]?.mapRunArn;
      if (found) this.#mapRuns.set(executionArn, found);
    }
    const mapRunArn = this.#mapRuns.get(executionArn);
    if (!mapRunArn) return { status, done: 0, total: 0, failed: 0, error };
    const { itemCounts: c } = await this.#sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    const failed = (c?.failed ?? 0) + (c?.timedOut ?? 0);
    return {
      status,
      done: (c?.succeeded ?? 0) + failed + (c?.aborted ?? 0),
      total: c?.total ?? 0,
      failed,
      error,
    };
  }

  async stop(executionArn: string): Promise<void> {
    await this.#sfn.send(
      new StopExecutionCommand({ executionArn, cause: "stopped from npm run optimize (Ctrl-C)" }),
    );
  }

  /** Every batch that finished, by the index of its first setting, in the settings' order (the worker's files, listed by key). */
  async results(id: string): Promise<Map<number, BatchOutcome>> {
    const prefix = searchKeys(id).resultsPrefix;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const batches = new Map<number, BatchOutcome>();
    for (const key of keys) {
      const from = Number(key.slice(prefix.length).replace(/\.json$/, ""));
      if (!Number.isInteger(from)) continue;
      const { Body } = await this.#s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      let outcome: BatchOutcome;
      try {
        outcome = decodeBatch((await Body?.transformToString()) ?? "");
        if (!Array.isArray(outcome.evaluations) || !Array.isArray(outcome.skipped))
          throw new Error("no evaluations");
      } catch (error) {
        throw new Error(`s3://${this.bucket}/${key} is not a batch's outcome (${(error as Error).message})`);
      }
      batches.set(from, outcome);
    }
    return batches;
  }

  async #put(key: string, body: string) {
    await this.#s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: "application/json" }),
    );
  }
}
