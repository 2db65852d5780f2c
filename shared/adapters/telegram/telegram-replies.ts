import type { ChatReplies } from "../../application/ports/chat.ts";
import { MAX_RESPONSE_BYTES, readAtMost } from "../channels/channel-sender.ts";

/** Answers chats through Telegram's Bot API (sendMessage, plain text: nothing to escape). */
export class TelegramReplies implements ChatReplies {
  readonly #url: string;
  readonly #fetch: typeof fetch;

  constructor(options: { token: string; api?: string; fetch?: typeof fetch }) {
    this.#url = `${options.api ?? "https://api.telegram.org"}/bot${options.token}/sendMessage`;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async reply(chatId: string, text: string): Promise<void> {
    const response = await this.#fetch(this.#url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: chatId, text, link_preview_options: { is_disabled: true } }),
      redirect: "manual",
      signal: AbortSignal.timeout(5_000),
    });
    const body = await readAtMost(response, MAX_RESPONSE_BYTES);
    // The token is in the URL: never in an error.
    if (!response.ok)
      throw new Error(
        `Telegram did not take the reply to chat ${chatId}: HTTP ${response.status} ${body.slice(0, 200)}`,
      );
  }
}
