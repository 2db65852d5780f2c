import { headOf } from "../cut-text.ts";

export const COMMANDS = [
  "status",
  "balance",
  "trades",
  "profit",
  "daily",
  "performance",
  "locks",
  "health",
  "pause",
  "resume",
  "forceexit",
  "report",
  "help",
  "account",
] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface Command {
  readonly name: CommandName;
  readonly args: readonly string[];
}

/** The most of a message a command reads: its name and a few short arguments. */
const MAX_COMMAND_CHARS = 200;

/**
 * A chat message as a command: "/status", "/trades 5", "/pause BNBUSDT 4h", "/status@MyBot";
 * undefined for anything else (prose, an unknown command). Only the first 200 characters are
 * read: a 10,000-character message is no bigger a command.
 */
export function parseCommand(text: unknown): Command | undefined {
  if (typeof text !== "string") return undefined;
  const head = headOf(text.trim(), MAX_COMMAND_CHARS);
  const match = /^\/([a-z]+)(?:@[A-Za-z0-9_]{1,64})?(?:\s+(.*))?$/s.exec(head);
  if (!match) return undefined;
  const name = match[1] as CommandName;
  if (!COMMANDS.includes(name)) return undefined;
  const args = (match[2] ?? "").split(/\s+/).filter(Boolean).slice(0, 4);
  return { name, args };
}
