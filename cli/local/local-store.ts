import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { startLocalDynamoDb } from "../../shared/adapters/dynamodb/local/local-dynamodb.ts";
import { createTableInput } from "../../shared/adapters/dynamodb/table-definition.ts";
import { TradingBotError } from "../../shared/domain/errors.ts";

export const LOCAL_TABLE = "paper-trader";

/** A second `npm start` on a data folder another one holds. */
export class AlreadyRunningError extends TradingBotError {
  override readonly name: string = "AlreadyRunningError";
  readonly retryable = false;
}
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export interface LocalStore {
  readonly endpoint: string;
  /** Where the data lives, for people: a folder, or "memory". */
  readonly location: string;
  readonly clientConfig: { endpoint: string; region: string; credentials: typeof CREDENTIALS };
  close(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The embedded DynamoDB-compatible store: in memory, or persisted under `dataDir`. When a
 * runner already holds the persisted store, its endpoint is used instead of opening the
 * folder a second time. The table is created from the shared definition if missing.
 */
export async function openLocalStore(options: {
  memory: boolean;
  dataDir: string;
  share?: boolean;
}): Promise<LocalStore> {
  const marker = join(options.dataDir, "store.json");
  let endpoint: string;
  let close = async () => {};
  let location = options.memory ? "memory (gone when the process ends)" : join(options.dataDir, "dynamodb");
  const shared =
    !options.memory && existsSync(marker)
      ? (JSON.parse(readFileSync(marker, "utf8")) as { endpoint: string; pid: number })
      : undefined;
  if (shared && shared.pid !== process.pid && alive(shared.pid)) {
    // Two runners on one folder would run every cycle twice: the second one is refused.
    if (options.share) {
      throw new AlreadyRunningError(
        `npm start is already running on ${options.dataDir} (pid ${shared.pid}); stop it first (Ctrl-C, or kill ${shared.pid}), or give this one its own --data-dir`,
      );
    }
    endpoint = shared.endpoint;
    location = `${location} (through the running npm start, pid ${shared.pid})`;
  } else {
    if (!options.memory) mkdirSync(join(options.dataDir, "dynamodb"), { recursive: true });
    const store = await startLocalDynamoDb(options.memory ? {} : { path: join(options.dataDir, "dynamodb") });
    endpoint = store.endpoint;
    if (options.share && !options.memory)
      writeFileSync(marker, JSON.stringify({ endpoint, pid: process.pid }));
    close = async () => {
      if (options.share && !options.memory) rmSync(marker, { force: true });
      await store.close();
    };
  }
  const clientConfig = { endpoint, region: "local", credentials: CREDENTIALS };
  const raw = new DynamoDBClient(clientConfig);
  try {
    await raw.send(new DescribeTableCommand({ TableName: LOCAL_TABLE }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await raw.send(new CreateTableCommand(createTableInput(LOCAL_TABLE)));
  } finally {
    raw.destroy();
  }
  return { endpoint, location, clientConfig, close };
}
