import type { ChatReplies, ChatSessions } from "../ports/chat.ts";
import type { Logger } from "../ports/logger.ts";
import type { CommandDeps } from "./command-deps.ts";
import { parseCommand } from "./parse-command.ts";
import { runCommand } from "./run-command.ts";

/** Commands a chat may send in a minute; past it, the rest of the minute's are dropped unanswered. */
const COMMANDS_PER_MINUTE = 20;

/** One chat message, as the gateway (a webhook, a long poll) received it from an authenticated source. */
export interface ChatMessage {
  readonly updateId: number;
  readonly chatId: string;
  readonly text: unknown;
}

export type MessageOutcome = "answered" | "not-allowed" | "repeat" | "rate-limited";

export interface GatewayDeps {
  readonly commands: CommandDeps;
  readonly sessions: ChatSessions;
  readonly replies: ChatReplies;
  readonly allowedChats: ReadonlySet<string>;
  /** The account a chat serves until it chooses another with /account. */
  readonly defaultAccount: string;
  readonly logger: Logger;
  /** How events name the chat: "Telegram chat 123". */
  readonly where: (chatId: string) => string;
}

/**
 * One message from a chat: from a chat not allowed, answered without effect (logged without its
 * content); an update seen before, nothing; past the chat's rate, nothing; else the command is run
 * on the chat's account and answered (anything else gets the list of commands).
 */
export async function handleMessage(deps: GatewayDeps, message: ChatMessage): Promise<MessageOutcome> {
  const { logger, commands } = deps;
  const now = commands.now();
  if (!deps.allowedChats.has(message.chatId)) {
    logger.warn("Chat command refused: chat not allowed", {
      outcome: "not-allowed",
      chatId: message.chatId.slice(0, 24),
    });
    return "not-allowed";
  }
  if (!(await deps.sessions.firstDelivery(message.updateId, now))) {
    logger.info("Chat update seen before: not acted on again", {
      outcome: "repeat",
      updateId: message.updateId,
    });
    return "repeat";
  }
  if (!(await deps.sessions.withinRate(message.chatId, now, COMMANDS_PER_MINUTE))) {
    logger.warn("Chat command dropped: rate limit", { outcome: "rate-limited", chatId: message.chatId });
    return "rate-limited";
  }
  const command = parseCommand(message.text);
  if (!command) {
    await deps.replies.reply(message.chatId, "Not a command I know. /help lists them.");
    return "answered";
  }
  const accountId = (await deps.sessions.accountOf(message.chatId)) ?? deps.defaultAccount;
  const outcome = await runCommand(
    commands,
    { chatId: message.chatId, accountId, where: deps.where(message.chatId) },
    command,
  );
  if (outcome.accountId !== accountId) await deps.sessions.setAccount(message.chatId, outcome.accountId);
  await deps.replies.reply(message.chatId, outcome.reply);
  logger.info("Chat command answered", { outcome: "answered", command: command.name, accountId });
  return "answered";
}
