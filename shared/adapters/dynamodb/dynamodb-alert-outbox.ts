import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Deadline } from "../../application/cycle/index.ts";
import type { AlertOutbox } from "../../application/ports/alert-outbox.ts";
import type { Alert, DeadLetter, QueuedAlert } from "../../application/ports/alerts.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import {
  DynamoDbAccountRepository,
  type DynamoDbAccountRepositoryOptions,
  type RequestOptions,
  retentionSeconds,
} from "./dynamodb-account-repository.ts";
import { callDynamoDb } from "./dynamodb-call.ts";
import { deadLetterItem, outboxItem, readDeadLetterItem, readOutboxItem } from "./item-codec.ts";
import { num } from "./item-reader.ts";
import { keys } from "./table-definition.ts";

/**
 * The alert outbox in the account table: an alert is written in the transaction of the trades it
 * tells of (see cycle-transaction.ts), taken with a lease by the delivery that sends it (so two
 * deliveries never both send it), and deleted once sent. A delivery that dies holding a lease
 * leaves it to expire: an alert is sent at least once, and a repeat carries the same alertId.
 */
export class DynamoDbAlertOutbox implements AlertOutbox {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => number;
  readonly #retentionSeconds: number;
  readonly #deadline: Deadline | undefined;

  /** The same options as the account repository's: one table, one retention, one deadline. */
  constructor(options: DynamoDbAccountRepositoryOptions) {
    this.#db = options.client;
    this.#table = options.tableName;
    this.#now = options.now ?? Date.now;
    this.#retentionSeconds = retentionSeconds(options);
    this.#deadline = options.deadline;
  }

  /** Every request carries the invocation's deadline as an abort signal. */
  #options(): RequestOptions {
    return { abortSignal: this.#deadline?.signal() };
  }

  async queueAlertOnce(
    accountId: string,
    kind: string,
    symbol: string,
    timeframe: Timeframe,
    candleTime: number,
    alert: Alert,
  ): Promise<boolean> {
    const now = this.#now();
    const marker = {
      ...keys.alertOnce(accountId, kind, symbol, timeframe, candleTime),
      type: "alert",
      expiresAt: num(Math.floor(now / 1000) + this.#retentionSeconds),
    };
    const put = () =>
      callDynamoDb(this.#table, "queue the failure alert", () =>
        this.#db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.#table,
                  Item: marker,
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: this.#table,
                  Item: outboxItem(accountId, alert, new Date(now).toISOString()),
                },
              },
            ],
          }),
          this.#options(),
        ),
      );
    for (let attempt = 1; ; attempt++) {
      try {
        await put();
        return true;
      } catch (error) {
        const codes = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.map(
          (r) => r.Code,
        );
        if (codes?.[0] === "ConditionalCheckFailed") return false;
        // Another transaction held one of the items: try again, a few times.
        if (!codes?.includes("TransactionConflict") || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * attempt));
      }
    }
  }

  async pendingAlerts(accountId: string, limit: number): Promise<QueuedAlert[]> {
    const result = await callDynamoDb(this.#table, `read the alert outbox of account ${accountId}`, () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": keys.account(accountId).pk, ":prefix": "OUTBOX#" },
          ConsistentRead: true,
          Limit: limit,
        }),
        this.#options(),
      ),
    );
    return (result.Items ?? []).map(readOutboxItem);
  }

  async leaseAlert(accountId: string, alert: QueuedAlert, now: number, leaseMs: number): Promise<boolean> {
    try {
      await callDynamoDb(this.#table, `lease alert ${alert.id}`, () =>
        this.#db.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: keys.outbox(accountId, alert.queuedAt, alert.id),
            UpdateExpression: "SET leaseUntil = :until",
            ConditionExpression:
              "attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)",
            ExpressionAttributeValues: { ":until": num(now + leaseMs), ":now": num(now) },
          }),
          this.#options(),
        ),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }

  async releaseAlert(accountId: string, alert: QueuedAlert, countAttempt = true): Promise<void> {
    await callDynamoDb(this.#table, `release alert ${alert.id}`, () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.outbox(accountId, alert.queuedAt, alert.id),
          ConditionExpression: "attribute_exists(pk)",
          ...(countAttempt
            ? {
                UpdateExpression: "REMOVE leaseUntil ADD attempts :one",
                ExpressionAttributeValues: { ":one": num(1) },
              }
            : { UpdateExpression: "REMOVE leaseUntil" }),
        }),
        this.#options(),
      ),
    ).catch((error: Error) => {
      if (error.name !== "ConditionalCheckFailedException") throw error;
    });
  }

  /** Out of the outbox into the dead letters, in one transaction (kept as long as the cycle records). */
  async setAsideAlert(accountId: string, alert: QueuedAlert, reason: string, now: number): Promise<void> {
    const outbox = keys.outbox(accountId, alert.queuedAt, alert.id);
    const letter = {
      ...deadLetterItem(accountId, { ...alert, reason, setAsideAt: new Date(now).toISOString() }),
      expiresAt: num(Math.floor(now / 1000) + this.#retentionSeconds),
    };
    try {
      await callDynamoDb(this.#table, `set alert ${alert.id} aside`, () =>
        this.#db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: { TableName: this.#table, Key: outbox, ConditionExpression: "attribute_exists(pk)" },
              },
              { Put: { TableName: this.#table, Item: letter } },
            ],
          }),
          this.#options(),
        ),
      );
    } catch (error) {
      const codes = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.map(
        (r) => r.Code,
      );
      if (codes?.[0] !== "ConditionalCheckFailed") throw error; // another delivery sent or set it aside
    }
  }

  async deadLetters(accountId: string, limit: number): Promise<DeadLetter[]> {
    const result = await callDynamoDb(this.#table, `read the dead letters of account ${accountId}`, () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": keys.account(accountId).pk, ":prefix": "DEADLETTER#" },
          Limit: limit,
        }),
        this.#options(),
      ),
    );
    return (result.Items ?? []).map(readDeadLetterItem);
  }

  async alertSent(accountId: string, alert: QueuedAlert): Promise<void> {
    await callDynamoDb(this.#table, `mark alert ${alert.id} sent`, () =>
      this.#db.send(
        new DeleteCommand({ TableName: this.#table, Key: keys.outbox(accountId, alert.queuedAt, alert.id) }),
        this.#options(),
      ),
    );
  }
}

/** The account table as the ports it serves: the account's store, its history, and its alert outbox. */
export function dynamoDbAccount(options: DynamoDbAccountRepositoryOptions) {
  const repository = new DynamoDbAccountRepository(options);
  return { repository, history: repository, outbox: new DynamoDbAlertOutbox(options) };
}
