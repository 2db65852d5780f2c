import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { pauseJson } from "../../application/control/pause-json.ts";
import type {
  AccountControl,
  ControlEvent,
  ForcedExitCommit,
} from "../../application/ports/account-control.ts";
import { VersionConflictError } from "../../application/ports/account-repository.ts";
import { isPaused, type Pause } from "../../domain/control/pause.ts";
import { ZERO } from "../../domain/money/decimal.ts";
import { retentionSeconds } from "./dynamodb-account-repository.ts";
import { callDynamoDb } from "./dynamodb-call.ts";
import { outboxItem, tradeItem } from "./item-codec.ts";
import { ItemReader, num } from "./item-reader.ts";
import { keys } from "./table-definition.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const eventKey = (accountId: string, e: ControlEvent) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `EVENT#${iso(e.at)}#${e.kind}#${e.target}`,
});

/** The chat commands' writes on the account table: a pause, a forced exit, and their events. */
export class DynamoDbAccountControl implements AccountControl {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string; cycleRetentionDays?: number }) {
    this.#db = options.client;
    this.#table = options.tableName;
    this.#retentionSeconds = retentionSeconds(options);
  }

  #eventItem(accountId: string, e: ControlEvent) {
    return {
      Put: {
        TableName: this.#table,
        Item: {
          ...eventKey(accountId, e),
          type: "event",
          accountId,
          ...e,
          expiresAt: num(Math.floor(e.at / 1000) + this.#retentionSeconds),
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }

  async setPause(
    accountId: string,
    pause: Pause,
    expectedVersion: number,
    event: ControlEvent,
  ): Promise<void> {
    const paused = isPaused(pause);
    // The version moves with the pause: a cycle that decided on the account before it cannot commit an entry.
    const update = {
      Update: {
        TableName: this.#table,
        Key: keys.account(accountId),
        UpdateExpression: paused
          ? "SET #paused = :paused, version = version + :one"
          : "REMOVE #paused SET version = version + :one",
        ConditionExpression: "version = :expected",
        ExpressionAttributeNames: { "#paused": "paused" },
        ExpressionAttributeValues: {
          ":expected": num(expectedVersion),
          ":one": num(1),
          ...(paused ? { ":paused": pauseJson(pause) } : {}),
        },
      },
    };
    await this.#transact(
      `${event.kind} account ${accountId}`,
      [update, this.#eventItem(accountId, event)],
      accountId,
    );
  }

  async commitForcedExit(commit: ForcedExitCommit): Promise<void> {
    const { accountId, trade, position } = commit;
    const proceeds = trade.quoteAmount.minus(trade.fee);
    const items = [
      {
        Update: {
          TableName: this.#table,
          Key: keys.account(accountId),
          UpdateExpression:
            "SET version = version + :one, balances.#q = if_not_exists(balances.#q, :zero) + :in, balances.#b = balances.#b - :out",
          ConditionExpression: "version = :expected AND balances.#b >= :out",
          ExpressionAttributeNames: { "#q": trade.quoteAsset, "#b": trade.baseAsset },
          ExpressionAttributeValues: {
            ":expected": num(commit.expectedVersion),
            ":one": num(1),
            ":zero": num(ZERO),
            ":in": num(proceeds),
            ":out": num(trade.quantity),
          },
        },
      },
      {
        Delete: {
          TableName: this.#table,
          Key: keys.position(accountId, position.symbol, position.timeframe),
          ConditionExpression: "version = :v",
          ExpressionAttributeValues: { ":v": num(position.previousVersion) },
        },
      },
      {
        Put: {
          TableName: this.#table,
          Item: tradeItem(accountId, trade),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      {
        Put: {
          TableName: this.#table,
          Item: outboxItem(accountId, commit.alert, iso(commit.event.at)),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      this.#eventItem(accountId, commit.event),
    ];
    await this.#transact(`force the exit of ${position.symbol} ${position.timeframe}`, items, accountId);
  }

  async controlEvents(accountId: string, limit: number): Promise<ControlEvent[]> {
    const out = await callDynamoDb(this.#table, "read the control events", () =>
      this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": `ACCOUNT#${accountId}`, ":prefix": "EVENT#" },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map((item) => {
      const r = new ItemReader(item);
      return {
        kind: r.oneOf("kind", ["pause", "resume", "forced-exit"] as const),
        target: r.string("target"),
        at: r.integer("at"),
        by: r.string("by"),
        ...(item.detail === undefined ? {} : { detail: r.string("detail") }),
      };
    });
  }

  async #transact(action: string, items: unknown[], accountId: string): Promise<void> {
    try {
      await callDynamoDb(this.#table, action, () =>
        this.#db.send(new TransactWriteCommand({ TransactItems: items as never })),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? "None").join(", ");
      throw new VersionConflictError(`account ${accountId} or its position moved meanwhile (${codes})`, {
        cause: error,
      });
    }
  }
}
