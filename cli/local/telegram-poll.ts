import type { BinanceMarketData } from "../../shared/adapters/binance/binance-market-data.ts";
import { readAtMost } from "../../shared/adapters/channels/channel-sender.ts";
import type { ChannelConfig } from "../../shared/adapters/config/alert-channels.ts";
import { localSecretEnv } from "../../shared/adapters/config/alert-channels.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { telegramGateway } from "../../shared/adapters/telegram/telegram-gateway.ts";
import { TelegramReplies } from "../../shared/adapters/telegram/telegram-replies.ts";
import { messageOfUpdate } from "../../shared/adapters/telegram/telegram-update.ts";
import { handleMessage } from "../../shared/application/commands/handle-message.ts";
import type { CycleConfig } from "../../shared/application/cycle/index.ts";
import type { Logger } from "../../shared/application/ports/logger.ts";
import { LOCAL_TABLE, type LocalStore } from "./local-store.ts";

/**
 * `npm start` with a Telegram channel whose commands are on: long-polls getUpdates (no webhook on
 * one machine) and answers the same commands from the same code, on the local store, until `stop`.
 */
export async function pollTelegramCommands(options: {
  channel: ChannelConfig;
  env: Record<string, string | undefined>;
  store: LocalStore;
  config: CycleConfig;
  /** How long the chat's records are kept (tradingBot.cycleRetentionDays), as the cycles' are. */
  cycleRetentionDays: number;
  market: BinanceMarketData;
  logger: Logger;
  now: () => number;
  stop: AbortSignal;
  deliver: (accountId: string) => Promise<unknown>;
}): Promise<void> {
  const { channel, env, store, config, stop } = options;
  const token = env[localSecretEnv(channel.name)] as string;
  const api = env.TELEGRAM_API_URL ?? "https://api.telegram.org";
  const deps = telegramGateway({
    client: createDocumentClient(store.clientConfig),
    tableName: LOCAL_TABLE,
    cycleRetentionDays: options.cycleRetentionDays,
    market: options.market,
    config,
    now: options.now,
    deliver: options.deliver,
    replies: new TelegramReplies({ token, api }),
    allowedChats: channel.allowedChats,
    logger: options.logger,
  });
  let offset = 0;
  while (!stop.aborted) {
    let updates: unknown[] = [];
    try {
      const response = await fetch(`${api}/bot${token}/getUpdates`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ offset, timeout: 25, allowed_updates: ["message"] }),
        signal: AbortSignal.any([stop, AbortSignal.timeout(35_000)]),
      });
      const body = JSON.parse(await readAtMost(response, 1_000_000)) as { ok?: boolean; result?: unknown[] };
      updates = body.ok && Array.isArray(body.result) ? body.result : [];
    } catch (error) {
      if (stop.aborted) break;
      options.logger.warn("Telegram getUpdates failed; trying again", { error: (error as Error).name });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      continue;
    }
    for (const update of updates) {
      const id = (update as { update_id?: number }).update_id;
      if (Number.isSafeInteger(id)) offset = Math.max(offset, (id as number) + 1);
      const message = messageOfUpdate(update);
      if (!message) continue;
      try {
        await handleMessage(deps, message);
      } catch (error) {
        options.logger.error("Chat command failed", { error: (error as Error).message });
      }
    }
  }
}
