import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const JSON_TYPE = { "content-type": "application/x-amz-json-1.0" };
const TYPE = "com.amazonaws.dynamodb.v20120810#";

/**
 * A proxy on 127.0.0.1 in front of a DynamoDB endpoint that injects the faults real DynamoDB
 * produces and no emulator does, each for the next N matching requests, and forwards the rest:
 * - `throttle`: any request answered ProvisionedThroughputExceededException;
 * - `conflictTransactions`: a TransactWriteItems cancelled with a `TransactionConflict` reason
 *   (another transaction held one of its items), without reaching the backend;
 * - `conflictPuts`: a PutItem answered TransactionConflictException;
 * - `dropTransactionResponses`: a TransactWriteItems forwarded and run, but its response lost
 *   (the connection is destroyed), so the SDK retries it with the same ClientRequestToken;
 * - `onTransactionCommitted`: a hook at the moment a transaction has run (to kill the caller there).
 */
export class DynamoDbFaultProxy {
  throttle = 0;
  conflictTransactions = 0;
  conflictPuts = 0;
  dropTransactionResponses = 0;
  /** Called when DynamoDB has answered a TransactWriteItems, before the answer is passed on. */
  onTransactionCommitted: (() => void) | undefined;
  /** How many requests of each operation went through (forwarded or answered here). */
  readonly seen = new Map<string, number>();
  throttled = 0;
  url = "";
  readonly #target: URL;
  #server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => this.#handle(req, res, Buffer.concat(chunks)));
  });

  private constructor(target: string) {
    this.#target = new URL(target);
  }

  static async start(target: string): Promise<DynamoDbFaultProxy> {
    const proxy = new DynamoDbFaultProxy(target);
    await new Promise<void>((resolve) => proxy.#server.listen(0, "127.0.0.1", resolve));
    proxy.url = `http://127.0.0.1:${(proxy.#server.address() as AddressInfo).port}`;
    return proxy;
  }

  reset() {
    this.throttle = this.conflictTransactions = this.conflictPuts = this.dropTransactionResponses = 0;
    this.onTransactionCommitted = undefined;
    this.seen.clear();
  }

  #handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    this.seen.set(operation, (this.seen.get(operation) ?? 0) + 1);
    if (this.throttle > 0) {
      this.throttle--;
      this.throttled++;
      return fail(
        res,
        "ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded.",
      );
    }
    if (operation === "TransactWriteItems" && this.conflictTransactions > 0) {
      this.conflictTransactions--;
      const items = (JSON.parse(body.toString("utf8")) as { TransactItems: unknown[] }).TransactItems;
      const reasons = items.map((_, i) =>
        i === 0
          ? { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" }
          : { Code: "None" },
      );
      return fail(
        res,
        "TransactionCanceledException",
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
        { CancellationReasons: reasons },
      );
    }
    if (operation === "PutItem" && this.conflictPuts > 0) {
      this.conflictPuts--;
      return fail(res, "TransactionConflictException", "Transaction is ongoing for the item");
    }
    const drop = operation === "TransactWriteItems" && this.dropTransactionResponses > 0;
    if (drop) this.dropTransactionResponses--;
    const forward = request(
      {
        host: this.#target.hostname,
        port: this.#target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (upstream) => {
        if (operation === "TransactWriteItems" && upstream.statusCode === 200)
          this.onTransactionCommitted?.();
        if (drop) {
          upstream.resume();
          upstream.on("end", () => res.destroy());
          return;
        }
        res.writeHead(upstream.statusCode ?? 500, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.end(body);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function fail(res: ServerResponse, type: string, message: string, extra: Record<string, unknown> = {}) {
  res.writeHead(400, JSON_TYPE);
  res.end(JSON.stringify({ __type: `${TYPE}${type}`, message, ...extra }));
}
