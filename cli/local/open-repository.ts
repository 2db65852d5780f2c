import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { LOCAL_TABLE, type LocalStore, openLocalStore } from "./local-store.ts";

/**
 * The account repository a reading command uses: a deployed table with `--table` (AWS credentials
 * and region from the environment), else the local store (through the running npm start if any).
 */
export async function openRepository(options: {
  table: string | undefined;
  memory: boolean;
  dataDir: string;
}) {
  let store: LocalStore | undefined;
  let repository: DynamoDbAccountRepository;
  if (options.table) {
    repository = new DynamoDbAccountRepository({ client: createDocumentClient(), tableName: options.table });
  } else {
    store = await openLocalStore({ memory: options.memory, dataDir: options.dataDir });
    repository = new DynamoDbAccountRepository({
      client: createDocumentClient(store.clientConfig),
      tableName: LOCAL_TABLE,
    });
  }
  return {
    repository,
    location: options.table ?? store?.location ?? "",
    close: async () => store?.close(),
  };
}
