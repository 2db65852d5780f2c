import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { DynamoDbAlertOutbox } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { startLocalDynamoDb } from "../../shared/adapters/dynamodb/local/local-dynamodb.ts";
import { createTableInput } from "../../shared/adapters/dynamodb/table-definition.ts";

export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * The two DynamoDB backends the contract tests run on: AWS's DynamoDB Local (started once per
 * test run by test/global-setup.ts) and the embedded store behind `npm start` and
 * `backtest --store` (dynalite behind our transaction front).
 */
export const BACKENDS = ["dynamodb-local", "embedded"] as const;
export type Backend = (typeof BACKENDS)[number];

/** A DynamoDB endpoint on 127.0.0.1 for one test file, with tables of its own. */
export class TestDynamoDb {
  readonly endpoint: string;
  readonly backend: Backend;
  readonly #close: () => Promise<void>;
  readonly #prefix = `t${randomUUID().slice(0, 8)}`;
  readonly #tables: string[] = [];

  private constructor(backend: Backend, endpoint: string, close: () => Promise<void>) {
    this.backend = backend;
    this.endpoint = endpoint;
    this.#close = close;
  }

  /** DynamoDB Local by default: the backend that is DynamoDB as far as a test can tell. */
  static async start(backend: Backend = "dynamodb-local"): Promise<TestDynamoDb> {
    if (backend === "dynamodb-local") {
      return new TestDynamoDb(backend, inject("dynamodbLocalEndpoint"), async () => {});
    }
    const store = await startLocalDynamoDb();
    return new TestDynamoDb(backend, store.endpoint, () => store.close());
  }

  clientConfig() {
    return { endpoint: this.endpoint, region: "us-east-1", credentials: LOCAL_CREDENTIALS };
  }

  /** A fresh table, created from the shared table definition. */
  async createTable(): Promise<string> {
    const name = `${this.#prefix}-accounts-${this.#tables.length + 1}`;
    const raw = new DynamoDBClient(this.clientConfig());
    await raw.send(new CreateTableCommand(createTableInput(name)));
    raw.destroy();
    this.#tables.push(name);
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
      outbox: new DynamoDbAlertOutbox({ client, tableName, ...options }),
    };
  }

  /** Drops this file's tables (DynamoDB Local lives on for the other files) or stops the store. */
  async close(): Promise<void> {
    if (this.backend === "dynamodb-local") {
      const raw = new DynamoDBClient(this.clientConfig());
      await Promise.all(this.#tables.map((TableName) => raw.send(new DeleteTableCommand({ TableName }))));
      raw.destroy();
    }
    await this.#close();
  }
}
