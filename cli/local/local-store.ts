import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { startLocalDynamoDb } from "../../shared/adapters/dynamodb/local/local-dynamodb.ts";
import { StoreInUseError } from "../../shared/adapters/dynamodb/local/local-store-errors.ts";
import { createTableInput } from "../../shared/adapters/dynamodb/table-definition.ts";
import { TradingBotError } from "../../shared/domain/errors.ts";
import { type LockHolder, StoreLock } from "./store-lock.ts";

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

/** How long a command waits for others on the same folder to finish before it gives up. */
export const TURN_WAIT_MS = 300_000;

/**
 * The folder's lock, or the holder that serves its store (npm start). A short command holding it
 * (a cycle, status) closes its store when it exits: the others wait their turn, saying so once;
 * so does one whose holder is still starting (until it serves, or lets go).
 */
async function takeTurn(dataDir: string, share: boolean): Promise<StoreLock | { held: LockHolder }> {
  const started = Date.now();
  let said = false;
  for (;;) {
    const taken = await StoreLock.acquire(dataDir, share);
    if (!("held" in taken)) return taken;
    const { held } = taken;
    const serving = held.endpoint !== undefined && held.serves !== false;
    if (serving || Date.now() - started > TURN_WAIT_MS) return taken;
    if (share && held.serves !== false && !held.endpoint) return taken; // a runner starting: a second one is refused
    if (!said) {
      process.stderr.write(
        `waiting for ${held.command ?? "another command"} (pid ${held.pid}) to finish with ${dataDir}…\n`,
      );
      said = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 100));
  }
}

/**
 * The embedded DynamoDB-compatible store: in memory, or persisted under `dataDir`. A persisted
 * store is opened under the folder's lock (store-lock.ts), taken atomically before anything
 * opens; when a running npm start holds it, its endpoint is used instead of opening the folder a
 * second time, and a second `npm start` (`share`) is refused; when a short command holds it, this
 * one waits its turn (up to TURN_WAIT_MS), so several commands at once on one folder all succeed. The table is created from the shared
 * definition if missing.
 */
export async function openLocalStore(options: {
  memory: boolean;
  dataDir: string;
  share?: boolean;
}): Promise<LocalStore> {
  let endpoint: string;
  let close = async () => {};
  let location = options.memory ? "memory (gone when the process ends)" : join(options.dataDir, "dynamodb");
  if (options.memory) {
    const store = await startLocalDynamoDb({});
    endpoint = store.endpoint;
    close = () => store.close();
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    const taken = await takeTurn(options.dataDir, options.share === true);
    if ("held" in taken) {
      const { pid, startedAt, endpoint: theirs, command = "another command" } = taken.held;
      // Two runners on one folder would run every cycle twice: the second one is refused.
      if (options.share || !theirs || taken.held.serves === false)
        throw new AlreadyRunningError(
          `${command} is already running on ${options.dataDir} (pid ${pid}, since ${startedAt}${theirs ? "" : ", still starting"}); stop it first (Ctrl-C, or kill ${pid}), or give this one its own --data-dir`,
        );
      endpoint = theirs;
      location = `${location} (through the running process ${pid})`;
    } else {
      const lock = taken;
      mkdirSync(join(options.dataDir, "dynamodb"), { recursive: true });
      let store: Awaited<ReturnType<typeof startLocalDynamoDb>>;
      try {
        store = await startLocalDynamoDb({ path: join(options.dataDir, "dynamodb"), identity: lock.nonce });
      } catch (error) {
        lock.release();
        if (error instanceof StoreInUseError) throw new AlreadyRunningError(error.message);
        throw error;
      }
      lock.publish(store.endpoint);
      endpoint = store.endpoint;
      close = async () => {
        lock.release();
        await store.close();
      };
    }
  }
  const clientConfig = { endpoint, region: "local", credentials: CREDENTIALS };
  const raw = new DynamoDBClient(clientConfig);
  try {
    await raw.send(new DescribeTableCommand({ TableName: LOCAL_TABLE }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) {
      await close(); // the lock is given back
      throw error;
    }
    await raw.send(new CreateTableCommand(createTableInput(LOCAL_TABLE)));
  } finally {
    raw.destroy();
  }
  return { endpoint, location, clientConfig, close };
}
