import { existsSync } from "node:fs";
import { join } from "node:path";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { dynamoDbAccount } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { UsageError } from "../cli-errors.ts";
import { LOCAL_TABLE, type LocalStore, openLocalStore } from "./local-store.ts";

/**
 * The account table a reading command uses (its store and history, and its outbox): a deployed
 * table with `--table` (AWS credentials and region from the environment), else the local store
 * (through the running npm start if any).
 */
export async function openRepository(options: {
  table: string | undefined;
  memory: boolean;
  dataDir: string;
}) {
  let store: LocalStore | undefined;
  let account: ReturnType<typeof dynamoDbAccount>;
  if (options.table) {
    account = dynamoDbAccount({ client: createDocumentClient(), tableName: options.table });
  } else {
    // A reading command never creates a store where there is none (a fresh folder stays empty).
    if (!options.memory && !existsSync(join(options.dataDir, "dynamodb")))
      throw new UsageError(
        `no paper account in ${options.dataDir}: no store there yet; run a cycle first (npm start), or name the folder with --data-dir`,
      );
    store = await openLocalStore({ memory: options.memory, dataDir: options.dataDir });
    account = dynamoDbAccount({ client: createDocumentClient(store.clientConfig), tableName: LOCAL_TABLE });
  }
  return {
    repository: account.repository,
    outbox: account.outbox,
    location: options.table ?? store?.location ?? "",
    close: async () => store?.close(),
  };
}
