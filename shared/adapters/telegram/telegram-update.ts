import { createHash, timingSafeEqual } from "node:crypto";
import type { ChatMessage } from "../../application/commands/handle-message.ts";

/** The largest update body read: a command is a few hundred bytes, Telegram's messages at most 4,096 characters. */
export const MAX_UPDATE_BYTES = 65_536;

/** Telegram's header carrying the webhook's secret token. */
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** The header's token equals the secret: compared in constant time (as digests, so that no length leaks either). */
export function secretMatches(given: unknown, secret: string): boolean {
  if (typeof given !== "string" || secret.length === 0) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** A Telegram update as a chat message: its id, its chat and its text; undefined for anything else (edits, joins…). */
export function messageOfUpdate(update: unknown): ChatMessage | undefined {
  const u = update as { update_id?: unknown; message?: { chat?: { id?: unknown }; text?: unknown } };
  if (typeof u !== "object" || u === null || !Number.isSafeInteger(u.update_id)) return undefined;
  const chat = u.message?.chat?.id;
  if (typeof chat !== "number" && typeof chat !== "string") return undefined;
  return { updateId: u.update_id as number, chatId: String(chat).slice(0, 32), text: u.message?.text };
}
