import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ClassicLevel } from "classic-level";
import dynalite from "dynalite";
import { FileJournal } from "./file-journal.ts";
import { IdempotentTransactions } from "./idempotent-transactions.ts";
import { CorruptStoreError, StoreInUseError } from "./local-store-errors.ts";
import { TimeToLiveSettings } from "./time-to-live.ts";
import { type AttributeMap, type TransactOutcome, transactWrite } from "./transact-write.ts";

export interface LocalDynamoDb {
  /** http://127.0.0.1:<port>: point the AWS SDK's `endpoint` here. */
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface LocalDynamoDbOptions {
  /** A folder to persist the data in (LevelDB); in memory when absent. */
  readonly path?: string;
  /** Port to listen on, 127.0.0.1 only; any free port when absent. */
  readonly port?: number;
  /** Answered to GET /.paper-trader/identity, so that a lock's holder can be told alive. */
  readonly identity?: string;
}

/** Where the front answers who holds it (not a DynamoDB call: those are POSTs to "/"). */
export const IDENTITY_PATH = "/.paper-trader/identity";

/**
 * Fails at once, with StoreInUseError, when another process holds the folder's LevelDB lock,
 * instead of the engine's "Database is not open" at the first request.
 */
async function ensureNotInUse(path: string): Promise<void> {
  const probe = new ClassicLevel(path);
  try {
    await probe.open();
  } catch (error) {
    const text = `${(error as { code?: string }).code} ${(error as Error).message} ${String((error as { cause?: unknown }).cause)}`;
    if (/LEVEL_LOCKED|lock/i.test(text))
      throw new StoreInUseError(
        `the store in ${path} is in use by another process (npm start?): stop it first, or use another --data-dir`,
      );
    throw new CorruptStoreError(
      `the store in ${path} cannot be opened (${text.trim()}): move the folder away to start afresh, or restore it from a backup`,
    );
  } finally {
    await probe.close().catch(() => undefined);
  }
}

const TARGET_PREFIX = "DynamoDB_20120810.";
// dynalite checks that a request is signed, not the signature.
const LOCAL_AUTHORIZATION =
  "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0";

/**
 * An embedded DynamoDB-compatible server: dynalite (in-process, LevelDB or memory) behind a
 * thin front on 127.0.0.1 that adds what dynalite lacks, answering as DynamoDB does:
 * TransactWriteItems (with ClientRequestToken, every failing condition reported, DynamoDB's
 * limits) and UpdateTimeToLive/DescribeTimeToLive. Every request passes one lock, so a
 * transaction is atomic and isolated from the others; a persisted store journals each
 * transaction, so a process killed half-way leaves it whole or absent (see file-journal.ts).
 * test/adapters/dynamodb/ runs the same contract tests here and on AWS's DynamoDB Local.
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  if (options.path) await ensureNotInUse(options.path);
  const backend = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await listen(backend, 0);
  const backendPort = (backend.address() as AddressInfo).port;

  const forward = (target: string, headers: Record<string, string>, body: Buffer) =>
    new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: backendPort,
          method: "POST",
          path: "/",
          headers: { ...headers, "x-amz-target": target },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 500,
              headers: res.headers as Record<string, string>,
              body: Buffer.concat(chunks),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  const call = async (operation: string, body: AttributeMap) => {
    const payload = Buffer.from(JSON.stringify(body));
    const headers = {
      "content-type": "application/x-amz-json-1.0",
      "content-length": String(payload.length),
      "x-amz-date": "20260101T000000Z",
      authorization: LOCAL_AUTHORIZATION,
    };
    const res = await forward(`${TARGET_PREFIX}${operation}`, headers, payload);
    return { status: res.status, body: JSON.parse(res.body.toString("utf8") || "{}") as AttributeMap };
  };

  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const journal = options.path ? new FileJournal(options.path) : undefined;
  if (journal) {
    try {
      // The engine opens its files on first use: use them now, so that the folder is held (LevelDB's
      // lock) from here on, and a second opener is told at once.
      await call("ListTables", {});
      await journal.recover(call);
    } catch (error) {
      await closeServer(backend); // nothing left listening: the process ends instead of hanging
      throw error;
    }
  }
  const tokens = new IdempotentTransactions();
  const timeToLive = new TimeToLiveSettings();
  const answer = (target: string, body: Buffer): Promise<TransactOutcome> | TransactOutcome | undefined => {
    const operation = target.slice(TARGET_PREFIX.length);
    if (operation === "TransactWriteItems") {
      const request = JSON.parse(body.toString("utf8")) as AttributeMap;
      return exclusive(() => tokens.run(request, () => transactWrite(request, call, journal)));
    }
    if (operation.endsWith("TimeToLive")) {
      return timeToLive.handle(operation, JSON.parse(body.toString("utf8")) as AttributeMap);
    }
    return undefined;
  };

  const front = createServer(async (req, res) => {
    if (req.method === "GET" && req.url === IDENTITY_PATH) {
      res.writeHead(options.identity ? 200 : 404, { "content-type": "text/plain" });
      res.end(options.identity ?? "");
      return;
    }
    try {
      const body = await readBody(req);
      const target = String(req.headers["x-amz-target"] ?? "");
      const answered = answer(target, body);
      if (answered) {
        const outcome = await answered;
        const text = JSON.stringify(outcome.body);
        res.writeHead(outcome.status, {
          "content-type": "application/x-amz-json-1.0",
          "x-amzn-requestid": "local",
        });
        res.end(text);
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => name !== "host" && name !== "connection"),
      ) as Record<string, string>;
      const out = await exclusive(() => forward(target, headers, body));
      const { connection: _c, "transfer-encoding": _t, ...outHeaders } = out.headers;
      res.writeHead(out.status, outHeaders);
      res.end(out.body);
    } catch (error) {
      res.writeHead(500, { "content-type": "application/x-amz-json-1.0" });
      res.end(
        JSON.stringify({
          __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
          message: String(error),
        }),
      );
    }
  });
  await listen(front, options.port ?? 0);
  const port = (front.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      await closeServer(front);
      await closeServer(backend);
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
