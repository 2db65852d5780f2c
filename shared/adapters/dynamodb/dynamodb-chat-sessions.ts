import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ChatSessions } from "../../application/ports/chat.ts";
import { callDynamoDb } from "./dynamodb-call.ts";
import { num } from "./item-reader.ts";

const DAY_S = 86_400;

/** The chat gateway's memory in the account table: updates taken (a day), each chat's minute count and account. */
export class DynamoDbChatSessions implements ChatSessions {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string }) {
    this.#db = options.client;
    this.#table = options.tableName;
  }

  async firstDelivery(updateId: number, now: number): Promise<boolean> {
    try {
      await callDynamoDb(this.#table, "note a chat update", () =>
        this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: {
              pk: `CHATUPDATE#${updateId}`,
              sk: "UPDATE",
              type: "chat-update",
              expiresAt: num(Math.floor(now / 1000) + DAY_S),
            },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }

  async withinRate(chatId: string, now: number, perMinute: number): Promise<boolean> {
    const minute = Math.floor(now / 60_000);
    const out = await callDynamoDb(this.#table, "count a chat command", () =>
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: `CHAT#${chatId}`, sk: `RATE#${minute}` },
          UpdateExpression: "ADD commands :one SET #type = :type, expiresAt = :expires",
          ExpressionAttributeNames: { "#type": "type" },
          ExpressionAttributeValues: {
            ":one": num(1),
            ":type": "chat-rate",
            ":expires": num(minute * 60 + 120),
          },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );
    return Number(out.Attributes?.commands ?? 0) <= perMinute;
  }

  async accountOf(chatId: string): Promise<string | undefined> {
    const out = await callDynamoDb(this.#table, "read a chat's account", () =>
      this.#db.send(new GetCommand({ TableName: this.#table, Key: { pk: `CHAT#${chatId}`, sk: "STATE" } })),
    );
    const value = out.Item?.accountId;
    return typeof value === "string" ? value : undefined;
  }

  async setAccount(chatId: string, accountId: string): Promise<void> {
    await callDynamoDb(this.#table, "set a chat's account", () =>
      this.#db.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: `CHAT#${chatId}`, sk: "STATE", type: "chat", accountId },
        }),
      ),
    );
  }
}
