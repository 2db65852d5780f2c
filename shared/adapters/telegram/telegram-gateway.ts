import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CommandDeps } from "../../application/commands/command-deps.ts";
import type { GatewayDeps } from "../../application/commands/handle-message.ts";
import type { CycleConfig } from "../../application/cycle/index.ts";
import type { Logger } from "../../application/ports/logger.ts";
import { DynamoDbAccountControl } from "../dynamodb/dynamodb-account-control.ts";
import { dynamoDbAccount } from "../dynamodb/dynamodb-alert-outbox.ts";
import { DynamoDbChatSessions } from "../dynamodb/dynamodb-chat-sessions.ts";
import type { TelegramReplies } from "./telegram-replies.ts";

/**
 * The Telegram commands' gateway on an account table (DynamoDB, or the local store behind
 * `npm start`): the account's store, history, dead letters and controls, the chats' sessions, the
 * replies and the allowed chats. The webhook function and the local poller build it here, once.
 */
export function telegramGateway(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** How long the chat's records are kept (tradingBot.cycleRetentionDays), as the cycles' are. */
  cycleRetentionDays: number;
  market: CommandDeps["market"];
  config: CycleConfig;
  now: () => number;
  deliver: (accountId: string) => Promise<unknown>;
  replies: TelegramReplies;
  allowedChats: readonly string[] | undefined;
  logger: Logger;
}): GatewayDeps {
  const { client, tableName, config } = options;
  const table = { client, tableName, cycleRetentionDays: options.cycleRetentionDays };
  const account = dynamoDbAccount(table);
  return {
    commands: {
      store: account.repository,
      history: account.repository,
      deadLetters: async (id) => (await account.outbox.deadLetters(id, 100)).length,
      control: new DynamoDbAccountControl(table),
      market: options.market,
      config,
      now: options.now,
      deliver: options.deliver,
    },
    sessions: new DynamoDbChatSessions({ client, tableName }),
    replies: options.replies,
    allowedChats: new Set(options.allowedChats ?? []),
    defaultAccount: config.defaultAccountId,
    logger: options.logger,
    where: (chatId) => `Telegram chat ${chatId}`,
  };
}
