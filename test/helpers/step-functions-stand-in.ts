import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { S3StandIn } from "../../cli/stand-ins/s3-stand-in.ts";

type State = Record<string, unknown>;
type Counts = {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  aborted: number;
  total: number;
};

interface Child {
  Input: string;
  Output?: string;
  Status: string;
  Error?: string;
}

interface Execution {
  readonly arn: string;
  /** The input it was started with, as sent. */
  readonly input: string;
  readonly mapRunArn: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";
  error?: string;
  cause?: string;
  output?: string;
  readonly counts: Counts;
  readonly children: Child[];
  /** Resolves when the execution has ended (every batch in flight has returned). */
  done: Promise<void>;
}

/** `$.a.b` of a value (the only paths the research stack's definition uses). */
const at = (path: string, value: unknown): unknown =>
  path
    .replace(/^\$\.?/, "")
    .split(".")
    .filter(Boolean)
    .reduce((v, k) => (v as Record<string, unknown>)?.[k], value);

/** A JSONPath template's fields (`"x.$": "$.y"`) filled from a value. */
const filled = (template: Record<string, unknown>, value: unknown) =>
  Object.fromEntries(
    Object.entries(template).map(([k, v]) =>
      k.endsWith(".$") ? [k.slice(0, -2), at(String(v), value)] : [k, v],
    ),
  );

/**
 * Step Functions' JSON API on 127.0.0.1 for one state machine whose first state is a Distributed
 * Map, run as its definition (the synthesized one) says: items read from S3 (`ItemReader`),
 * batched (`ItemBatcher`), at most `MaxConcurrency` at once, each batch tried `1 + MaxAttempts`
 * times, failures tolerated up to `ToleratedFailurePercentage`, children written to S3 by
 * `ResultWriter` (manifest.json, SUCCEEDED_0.json, FAILED_0.json). Calls served: StartExecution,
 * DescribeExecution, ListMapRuns, DescribeMapRun, StopExecution. A batch is run by `invoke` (the
 * worker); `beforeBatch` can hold or fail one (faults).
 */
export class StepFunctionsStandIn {
  readonly executions = new Map<string, Execution>();
  readonly calls: string[] = [];
  url = "";
  readonly #server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => this.#answer(req, Buffer.concat(chunks).toString("utf8"), res));
  });
  readonly #definition: State;
  readonly #s3: S3StandIn;
  readonly #invoke: (event: unknown) => Promise<unknown>;
  /** DescribeExecution calls still to answer with ThrottlingException (a fault). */
  throttleDescribes = 0;
  /** StartExecution calls still to answer with ThrottlingException (a fault). */
  throttleStarts = 0;
  /** StopExecution refused (AccessDeniedException: the caller's policy lacks it). */
  refuseStops = false;
  /** Runs before each try of a batch (its first item's index): may wait, or throw to fail the try. */
  beforeBatch: (first: number) => Promise<void> = async () => {};

  private constructor(definition: State, s3: S3StandIn, invoke: (event: unknown) => Promise<unknown>) {
    this.#definition = definition;
    this.#s3 = s3;
    this.#invoke = invoke;
  }

  static async start(definition: State, s3: S3StandIn, invoke: (event: unknown) => Promise<unknown>) {
    const sfn = new StepFunctionsStandIn(definition, s3, invoke);
    await new Promise<void>((resolve) => sfn.#server.listen(0, "127.0.0.1", resolve));
    sfn.url = `http://127.0.0.1:${(sfn.#server.address() as AddressInfo).port}`;
    return sfn;
  }

  #answer(req: IncomingMessage, body: string, res: ServerResponse) {
    const action = String(req.headers["x-amz-target"] ?? "").replace("AWSStepFunctions.", "");
    this.calls.push(action);
    const input = JSON.parse(body || "{}") as Record<string, string>;
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify(value));
    };
    if (action === "DescribeExecution" && this.throttleDescribes > 0) {
      this.throttleDescribes--;
      return reply(400, { __type: "ThrottlingException", message: "Rate exceeded" });
    }
    if (action === "StartExecution" && this.throttleStarts > 0) {
      this.throttleStarts--;
      return reply(400, { __type: "ThrottlingException", message: "Rate exceeded" });
    }
    const execution =
      this.executions.get(input.executionArn ?? "") ??
      [...this.executions.values()].find((e) => e.mapRunArn === input.mapRunArn);
    if (action === "StartExecution") {
      const arn = `${String(input.stateMachineArn).replace(":stateMachine:", ":execution:")}:${input.name}`;
      // A Standard workflow's start is idempotent: the same name and input while it runs is the same execution.
      const running = this.executions.get(arn);
      if (running && (running.status !== "RUNNING" || running.input !== (input.input ?? "{}")))
        return reply(400, {
          __type: "ExecutionAlreadyExists",
          message: `Execution Already Exists: '${arn}'`,
        });
      if (!running) this.#run(arn, input.input ?? "{}");
      return reply(200, { executionArn: arn, startDate: Date.now() / 1000 });
    }
    if (!execution) return reply(400, { __type: "ExecutionDoesNotExist", message: "no such execution" });
    if (action === "DescribeExecution")
      return reply(200, {
        executionArn: execution.arn,
        stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:search",
        status: execution.status,
        startDate: Date.now() / 1000,
        ...(execution.error ? { error: execution.error, cause: execution.cause } : {}),
        ...(execution.output ? { output: execution.output } : {}),
      });
    if (action === "ListMapRuns")
      return reply(200, {
        mapRuns: [
          {
            executionArn: execution.arn,
            mapRunArn: execution.mapRunArn,
            stateMachineArn: "x",
            startDate: Date.now() / 1000,
          },
        ],
      });
    if (action === "DescribeMapRun")
      return reply(200, {
        mapRunArn: execution.mapRunArn,
        executionArn: execution.arn,
        status: execution.status === "RUNNING" ? "RUNNING" : execution.status,
        startDate: Date.now() / 1000,
        maxConcurrency: 0,
        toleratedFailurePercentage: 0,
        toleratedFailureCount: 0,
        itemCounts: { ...execution.counts, timedOut: 0, resultsWritten: 0 },
        executionCounts: { ...execution.counts, timedOut: 0, resultsWritten: 0 },
      });
    if (action === "StopExecution" && this.refuseStops)
      return reply(400, {
        __type: "AccessDeniedException",
        message: "not authorized to perform: states:StopExecution",
      });
    if (action === "StopExecution") {
      if (execution.status === "RUNNING") {
        execution.status = "ABORTED";
        execution.cause = input.cause;
      }
      return reply(200, { stopDate: Date.now() / 1000 });
    }
    return reply(400, { __type: "UnknownOperationException", message: `${action} is not served here` });
  }

  #run(arn: string, text: string) {
    const input = JSON.parse(text) as unknown;
    const map = (this.#definition.States as Record<string, State>)[String(this.#definition.StartAt)] as State;
    const reader = map.ItemReader as { Parameters: Record<string, unknown> };
    const { Bucket: _bucket, Key } = filled(reader.Parameters, input) as { Bucket: string; Key: string };
    const batcher = map.ItemBatcher as { MaxItemsPerBatchPath: string; BatchInput: Record<string, unknown> };
    const size = Number(at(batcher.MaxItemsPerBatchPath, input));
    const batchInput = filled(batcher.BatchInput, input);
    const processor = map.ItemProcessor as { StartAt: string; States: Record<string, State> };
    // The task's retriers, as Step Functions reads them: the first whose ErrorEquals names the
    // error (or States.ALL) retries it, each with its own count of MaxAttempts.
    const retriers = (processor.States[processor.StartAt]?.Retry ?? []) as {
      ErrorEquals: string[];
      MaxAttempts?: number;
    }[];
    const items = JSON.parse(this.#s3.text(Key) ?? "[]") as { index: number }[];
    const batches: { index: number }[][] = [];
    for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
    const id = randomUUID();
    const execution: Execution = {
      arn,
      input: text,
      mapRunArn: `${arn.replace(":execution:", ":mapRun:")}/Search:${id}`,
      status: "RUNNING",
      counts: { pending: items.length, running: 0, succeeded: 0, failed: 0, aborted: 0, total: items.length },
      children: [],
      done: Promise.resolve(),
    };
    this.executions.set(arn, execution);
    const c = execution.counts;
    let next = 0;
    const lane = async () => {
      while (next < batches.length) {
        const batch = batches[next++] as { index: number }[];
        const event = { Items: batch, BatchInput: batchInput };
        if (execution.status !== "RUNNING") {
          c.pending -= batch.length;
          c.aborted += batch.length;
          continue;
        }
        c.pending -= batch.length;
        c.running += batch.length;
        const child: Child = { Input: JSON.stringify(event), Status: "RUNNING" };
        execution.children.push(child);
        const used = retriers.map(() => 0);
        /** Whether a retrier takes this error for another try (counting it). */
        const retried = (error: string) => {
          const k = retriers.findIndex(
            (r) => r.ErrorEquals.includes(error) || r.ErrorEquals.includes("States.ALL"),
          );
          if (k < 0 || (used[k] as number) >= (retriers[k]?.MaxAttempts ?? 3)) return false;
          used[k] = (used[k] as number) + 1;
          return true;
        };
        for (;;) {
          try {
            // An injected fault is named by its message, as Step Functions names Lambda's own errors
            // ("Lambda.TooManyRequestsException"); the worker's own error by its type (its name).
            await this.beforeBatch(batch[0]?.index ?? 0).catch((fault: Error) => {
              throw Object.assign(new Error(fault.message), { name: fault.message });
            });
            child.Output = JSON.stringify(await this.#invoke(event));
            child.Status = "SUCCEEDED";
            break;
          } catch (error) {
            child.Status = "FAILED";
            child.Error = (error as Error).message;
            if (!retried((error as Error).name)) break;
          }
        }
        c.running -= batch.length;
        if (execution.status !== "RUNNING") c.aborted += batch.length;
        else if (child.Status === "SUCCEEDED") c.succeeded += batch.length;
        else c.failed += batch.length;
      }
    };
    const lanes = Math.max(1, Number(map.MaxConcurrency ?? 1));
    execution.done = Promise.all(Array.from({ length: Math.min(lanes, batches.length || 1) }, lane)).then(
      () => this.#end(execution, map),
    );
  }

  #end(execution: Execution, map: State) {
    if (execution.status !== "RUNNING") return;
    const writer = (map.ResultWriter as { Parameters: { Prefix: string } }).Parameters;
    const run = execution.mapRunArn.split(":").at(-1) as string;
    const folder = `${writer.Prefix}/${run}`;
    const byStatus = (status: string) => execution.children.filter((ch) => ch.Status === status);
    const files: Record<string, { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
    for (const status of ["SUCCEEDED", "FAILED"]) {
      const children = byStatus(status);
      if (!children.length) continue;
      const key = `${folder}/${status}_0.json`;
      const body = Buffer.from(JSON.stringify(children));
      this.#s3.objects.set(key, body);
      files[status]?.push({ Key: key, Size: body.length });
    }
    const manifest = `${folder}/manifest.json`;
    this.#s3.objects.set(
      manifest,
      Buffer.from(
        JSON.stringify({ DestinationBucket: "bucket", MapRunArn: execution.mapRunArn, ResultFiles: files }),
      ),
    );
    const tolerated = Number(map.ToleratedFailurePercentage ?? 0);
    const failedPct = execution.counts.total ? (100 * execution.counts.failed) / execution.counts.total : 0;
    if (failedPct > tolerated) {
      execution.status = "FAILED";
      execution.error = "States.ExceedToleratedFailureThreshold";
      execution.cause = `The specified tolerated failure threshold was exceeded`;
    } else {
      execution.status = "SUCCEEDED";
      execution.output = JSON.stringify({
        MapRunArn: execution.mapRunArn,
        ResultWriterDetails: { Bucket: "bucket", Key: manifest },
      });
    }
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
