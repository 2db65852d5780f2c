import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentClient } from "../../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { DynamoDbAlertOutbox } from "../../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import {
  RepositoryUnavailableError,
  VersionConflictError,
} from "../../../shared/application/ports/account-repository.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { DynamoDbFaultProxy } from "../../helpers/dynamodb-fault-proxy.ts";
import { BACKENDS, type Backend, LOCAL_CREDENTIALS, TestDynamoDb } from "../../helpers/local-dynamodb.ts";
import { commit, cycle, T0, trade } from "../../helpers/trades.ts";

/** The repository on `backend`, its SDK client going through a fault-injecting proxy. */
function behindProxy(backend: Backend, maxAttempts?: number) {
  const ctx = {} as {
    db: TestDynamoDb;
    proxy: DynamoDbFaultProxy;
    repository: DynamoDbAccountRepository;
    outbox: DynamoDbAlertOutbox;
    tableName: string;
  };
  beforeAll(async () => {
    ctx.db = await TestDynamoDb.start(backend);
    ctx.tableName = await ctx.db.createTable();
    ctx.proxy = await DynamoDbFaultProxy.start(ctx.db.endpoint);
    const client = createDocumentClient({
      endpoint: ctx.proxy.url,
      region: "us-east-1",
      credentials: LOCAL_CREDENTIALS,
      ...(maxAttempts ? { maxAttempts } : {}),
    });
    ctx.repository = new DynamoDbAccountRepository({ client, tableName: ctx.tableName });
    ctx.outbox = new DynamoDbAlertOutbox({ client, tableName: ctx.tableName });
  });
  afterAll(async () => {
    await ctx.proxy.close();
    await ctx.db.close();
  });
  return ctx;
}

describe.each(BACKENDS)("faults between the repository and %s", (backend) => {
  const ctx = behindProxy(backend);

  it("a commit whose response was lost is retried by the SDK with its token and lands once, as success", async () => {
    await ctx.repository.openAccount("lost", dec("10000"), new Date(T0), "USDT");
    ctx.proxy.dropTransactionResponses = 1;
    ctx.proxy.seen.clear();
    const buy = commit({
      cycle: cycle({ accountId: "lost" }),
      trades: [trade({ side: "BUY", quantity: "1", price: "600" })],
    });
    await ctx.repository.commitCycle(buy);
    expect(ctx.proxy.seen.get("TransactWriteItems")).toBe(2);
    expect((await ctx.repository.listTrades("lost")).items).toHaveLength(1);
    expect((await ctx.repository.loadState("lost"))?.account.balances.USDT?.toString()).toBe("9399.4");
  });

  it("a TransactionConflict cancellation is a VersionConflictError: read again, decide again", async () => {
    await ctx.repository.openAccount("conflict", dec("10000"), new Date(T0), "USDT");
    ctx.proxy.conflictTransactions = 1;
    const buy = commit({
      cycle: cycle({ accountId: "conflict" }),
      trades: [trade({ side: "BUY", quantity: "1", price: "600" })],
    });
    const error = await ctx.repository.commitCycle(buy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as Error).message).toContain("TransactionConflict");
    expect((await ctx.repository.listTrades("conflict")).items).toHaveLength(0);
  });

  it("a TransactionConflict on a plain write or on queueing a failure alert is retried", async () => {
    ctx.proxy.conflictPuts = 3;
    const account = await ctx.repository.openAccount("busy", dec("500"), new Date(T0), "USDT");
    expect(account.balances.USDT?.toString()).toBe("500");
    const alert = {
      id: "busy/BNBUSDT/4h/failure",
      subject: "FAILED",
      message: "failed",
      attributes: { event: "failure" as const, symbol: "BNBUSDT", timeframe: "4h", action: "FAILED" },
    };
    ctx.proxy.conflictTransactions = 2;
    expect(await ctx.outbox.queueAlertOnce("busy", "FAILURE", "BNBUSDT", "4h", T0, alert)).toBe(true);
    expect([ctx.proxy.conflictPuts, ctx.proxy.conflictTransactions]).toEqual([0, 0]);
    expect((await ctx.outbox.pendingAlerts("busy", 10)).map((a) => a.id)).toEqual([alert.id]);
  });
});

describe("DynamoDB throttling", () => {
  // Four attempts instead of the function's six: the same behaviour in a quarter of the waiting.
  const ctx = behindProxy("dynamodb-local", 4);

  it("is retried by the SDK, and the commit lands once", async () => {
    await ctx.repository.openAccount("paper", dec("10000"), new Date(T0), "USDT");
    ctx.proxy.throttle = 3;
    await ctx.repository.commitCycle(
      commit({ trades: [trade({ side: "BUY", quantity: "1", price: "600" })] }),
    );
    expect(ctx.proxy.throttled).toBe(3);
    expect((await ctx.repository.listTrades("paper")).items).toHaveLength(1);
    expect((await ctx.repository.loadState("paper"))?.account.balances.USDT?.toString()).toBe("9399.4");
  }, 30_000);

  it("that outlasts the retries surfaces as a retryable error naming the table and the action", async () => {
    ctx.proxy.throttle = 100;
    const error = await ctx.repository.loadState("paper").catch((e: unknown) => e);
    ctx.proxy.throttle = 0;
    expect(error).toBeInstanceOf(RepositoryUnavailableError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `DynamoDB table ${ctx.tableName}: could not read ACCOUNT#paper ACCOUNT: ProvisionedThroughputExceededException`,
      ),
    );
    expect((error as RepositoryUnavailableError).retryable).toBe(true);
  }, 30_000);
});
