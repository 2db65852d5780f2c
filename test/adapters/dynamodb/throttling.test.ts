import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentClient } from "../../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { RepositoryUnavailableError } from "../../../shared/application/ports/account-repository.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { LOCAL_CREDENTIALS, TestDynamoDb } from "../../helpers/local-dynamodb.ts";
import { ThrottlingProxy } from "../../helpers/throttling-proxy.ts";
import { commit, T0, trade } from "../../helpers/trades.ts";

let db: TestDynamoDb;
let proxy: ThrottlingProxy;
let repository: DynamoDbAccountRepository;
let tableName: string;

beforeAll(async () => {
  db = await TestDynamoDb.start();
  tableName = await db.createTable();
  proxy = await ThrottlingProxy.start(db.store.endpoint);
  const client = createDocumentClient({
    endpoint: proxy.url,
    region: "us-east-1",
    credentials: LOCAL_CREDENTIALS,
  });
  repository = new DynamoDbAccountRepository({ client, tableName });
});
afterAll(async () => {
  await proxy.close();
  await db.close();
});

describe("DynamoDB throttling", () => {
  it("is retried by the SDK, and the commit lands once", async () => {
    await repository.openAccount("paper", dec("10000"), new Date(T0));
    proxy.throttle = 3;
    await repository.commitCycle(commit({ trades: [trade({ side: "BUY", quantity: "1", price: "600" })] }));
    expect(proxy.throttled).toBe(3);
    expect((await repository.listTrades("paper")).items).toHaveLength(1);
    expect((await repository.loadState("paper"))?.account.balances.USDT?.toString()).toBe("9399.4");
  });

  it("that outlasts the retries surfaces as a retryable error naming the table and the action", async () => {
    proxy.throttle = 100;
    const error = await repository.loadState("paper").catch((e: unknown) => e);
    proxy.throttle = 0;
    expect(error).toBeInstanceOf(RepositoryUnavailableError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `DynamoDB table ${tableName}: could not read ACCOUNT#paper ACCOUNT: ProvisionedThroughputExceededException`,
      ),
    );
    expect((error as RepositoryUnavailableError).retryable).toBe(true);
  }, 30_000);
});
