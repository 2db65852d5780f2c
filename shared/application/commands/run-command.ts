import { tradingAccounts } from "../alerts/daily-digest.ts";
import { headOf } from "../cut-text.ts";
import type { Chat, CommandDeps } from "./command-deps.ts";
import { forceExitCommand, pauseCommand } from "./control-commands.ts";
import type { Command } from "./parse-command.ts";
import {
  balanceReply,
  dailyReply,
  healthReply,
  locksReply,
  profitReply,
  statusReply,
  tradesReply,
} from "./read-commands.ts";

/** Telegram's longest message: a reply is cut to it (on a grapheme boundary). */
const MAX_REPLY_CHARS = 4_096;

const HELP = [
  "Commands (add a pair as BNBUSDT 4h, or BNBUSDT when it trades on one timeframe):",
  "/status  open positions, unrealised PnL at the last close",
  "/balance  balances and equity",
  "/trades [n]  the last n fills (5)",
  "/profit  realised profit per pair, after every fee",
  "/daily [n]  realised profit per UTC day (7)",
  "/performance  the pairs ranked by realised profit",
  "/locks  protections and pauses in force",
  "/health  each pair's last cycle and its age, failures, alerts set aside",
  "/pause [pair|all]  no new entries (exits, stops and alerts go on)",
  "/resume [pair|all]  entries allowed again",
  "/forceexit <pair>  sell the position at the last closed candle's close",
  "/report  where the live-against-backtest verdict comes from",
  "/account <id>  the account this chat serves",
  "/help  this list",
].join("\n");

/** What a command answered, and the account the chat serves after it (/account changes it). */
export interface CommandOutcome {
  readonly reply: string;
  readonly accountId: string;
}

/**
 * Runs one chat command on the chat's account and answers it in plain text within a Telegram
 * message's length. Pause, resume and forced exit write the ledger (see control-commands.ts);
 * the rest read.
 */
export async function runCommand(deps: CommandDeps, chat: Chat, command: Command): Promise<CommandOutcome> {
  const { accountId } = chat;
  const [first] = command.args;
  let reply: string;
  let next = accountId;
  switch (command.name) {
    case "status":
      reply = await statusReply(deps, accountId);
      break;
    case "balance":
      reply = await balanceReply(deps, accountId);
      break;
    case "trades":
      reply = await tradesReply(deps, accountId, first);
      break;
    case "profit":
      reply = await profitReply(deps, accountId, false);
      break;
    case "performance":
      reply = await profitReply(deps, accountId, true);
      break;
    case "daily":
      reply = await dailyReply(deps, accountId, first);
      break;
    case "locks":
      reply = await locksReply(deps, accountId);
      break;
    case "health":
      reply = await healthReply(deps, accountId);
      break;
    case "pause":
    case "resume":
      reply = await pauseCommand(deps, chat, command.name === "resume", command.args);
      break;
    case "forceexit":
      reply = await forceExitCommand(deps, chat, command.args);
      break;
    case "report":
      reply = `The live-against-backtest verdict replays every cycle of account ${accountId} against Binance's candles, too long for a chat's answer: run npm run report -- --account ${accountId} --table <the stack's table> (docs/live-vs-backtest.md). /health shows each pair's last cycle meanwhile.`;
      break;
    case "account": {
      const accounts = tradingAccounts(deps.config);
      if (!first)
        reply = `This chat serves account ${accountId}; the watchlist's accounts: ${accounts.join(", ")}`;
      else if (!accounts.includes(first))
        reply = `No account ${headOf(first, 64)} in the watchlist; its accounts: ${accounts.join(", ")}`;
      else {
        next = first;
        reply = `This chat now serves account ${first}.`;
      }
      break;
    }
    case "help":
      reply = HELP;
      break;
  }
  return { reply: headOf(reply, MAX_REPLY_CHARS), accountId: next };
}
