import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import {
  type LocalDynamoDb,
  startLocalDynamoDb,
} from "../../shared/adapters/dynamodb/local/local-dynamodb.ts";
import { createTableInput } from "../../shared/adapters/dynamodb/table-definition.ts";

export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** A DynamoDB-compatible server on 127.0.0.1 (dynalite, in memory) for one test file. */
export class TestDynamoDb {
  readonly store: LocalDynamoDb;
  #tables = 0;

  private constructor(store: LocalDynamoDb) {
    this.store = store;
  }

  static async start(): Promise<TestDynamoDb> {
    return new TestDynamoDb(await startLocalDynamoDb());
  }

  clientConfig() {
    return { endpoint: this.store.endpoint, region: "us-east-1", credentials: LOCAL_CREDENTIALS };
  }

  /** A fresh table, created from the shared table definition. */
  async createTable(): Promise<string> {
    const name = `accounts-${++this.#tables}`;
    const raw = new DynamoDBClient(this.clientConfig());
    await raw.send(new CreateTableCommand(createTableInput(name)));
    raw.destroy();
    return name;
  }

  documentClient() {
    return createDocumentClient(this.clientConfig());
  }

  async repository(options: { cycleRetentionDays?: number } = {}) {
    const tableName = await this.createTable();
    const client = this.documentClient();
    return {
      tableName,
      client,
      repository: new DynamoDbAccountRepository({ client, tableName, ...options }),
    };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
