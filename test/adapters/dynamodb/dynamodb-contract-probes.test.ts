import {
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, TestDynamoDb } from "../../helpers/local-dynamodb.ts";

/**
 * Where the project depends on DynamoDB's behaviour, the embedded store must behave as DynamoDB
 * Local does: each probe runs on both, with the raw SDK client, and expects DynamoDB's answer.
 */
describe.each(BACKENDS)("DynamoDB behaviour on %s", (backend) => {
  let db: TestDynamoDb;
  let client: DynamoDBClient;
  let table: string;
  beforeAll(async () => {
    db = await TestDynamoDb.start(backend);
    client = new DynamoDBClient({ ...db.clientConfig(), maxAttempts: 1 });
    table = await db.createTable();
  });
  afterAll(async () => {
    client.destroy();
    await db.close();
  });

  const counter = async (pk: string) => {
    const got = await client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: "C" } }, ConsistentRead: true }),
    );
    return got.Item?.n?.N;
  };
  const increment = (pk: string, token: string, by = "1"): TransactWriteItemsCommandInput => ({
    ClientRequestToken: token,
    TransactItems: [
      {
        Update: {
          TableName: table,
          Key: { pk: { S: pk }, sk: { S: "C" } },
          UpdateExpression: "SET n = if_not_exists(n, :zero) + :by",
          ExpressionAttributeValues: { ":zero": { N: "0" }, ":by": { N: by } },
        },
      },
    ],
  });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error as Error,
    );

  it("answers a repeated ClientRequestToken with the first outcome, without running it again", async () => {
    await client.send(new TransactWriteItemsCommand(increment("token", "token-1")));
    await client.send(new TransactWriteItemsCommand(increment("token", "token-1")));
    expect(await counter("token")).toBe("1");
    await client.send(new TransactWriteItemsCommand(increment("token", "token-2")));
    expect(await counter("token")).toBe("2");
  });

  it("refuses the same ClientRequestToken with another body", async () => {
    await client.send(new TransactWriteItemsCommand(increment("mismatch", "token-3")));
    const error = await failure(
      client.send(new TransactWriteItemsCommand(increment("mismatch", "token-3", "5"))),
    );
    expect(error?.name).toBe("IdempotentParameterMismatchException");
    expect(await counter("mismatch")).toBe("1");
  });

  it("reports every failing condition of a cancelled transaction, and writes nothing", async () => {
    const put = (sk: string, condition?: string) => ({
      Put: {
        TableName: table,
        Item: { pk: { S: "reasons" }, sk: { S: sk } },
        ...(condition ? { ConditionExpression: condition } : {}),
      },
    });
    await client.send(new TransactWriteItemsCommand({ TransactItems: [put("a"), put("c")] }));
    const error = await failure(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            put("a", "attribute_not_exists(pk)"),
            put("b", "attribute_not_exists(pk)"),
            put("c", "attribute_not_exists(pk)"),
          ],
        }),
      ),
    );
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
      "ConditionalCheckFailed",
      "None",
      "ConditionalCheckFailed",
    ]);
    const b = await client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: "reasons" }, sk: { S: "b" } } }),
    );
    expect(b.Item).toBeUndefined();
  });

  it("refuses a transaction over 4 MB", async () => {
    const big = "x".repeat(380_000);
    const error = await failure(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: Array.from({ length: 12 }, (_, i) => ({
            Put: { TableName: table, Item: { pk: { S: "big" }, sk: { S: `${i}` }, data: { S: big } } },
          })),
        }),
      ),
    );
    expect(error?.name).toBe("ValidationException");
    const first = await client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: "big" }, sk: { S: "0" } } }),
    );
    expect(first.Item).toBeUndefined();
  });

  it("refuses arithmetic beyond 38 significant digits, and writes nothing", async () => {
    await client.send(new TransactWriteItemsCommand(increment("digits", "token-4", "1")));
    const error = await failure(
      client.send(
        new TransactWriteItemsCommand(
          increment("digits", "token-5", "0.0000000000000000000000000000000000000001"),
        ),
      ),
    );
    expect(error?.name).toBe("ValidationException");
    expect(await counter("digits")).toBe("1");
  });

  it("turns on time to live", async () => {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      }),
    );
    const described = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(described.TimeToLiveDescription).toMatchObject({
      AttributeName: "expiresAt",
      TimeToLiveStatus: "ENABLED",
    });
  });
});
