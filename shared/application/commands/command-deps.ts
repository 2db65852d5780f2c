import type { CycleConfig } from "../cycle/index.ts";
import type { AccountControl } from "../ports/account-control.ts";
import type { AccountHistory, AccountStore } from "../ports/account-repository.ts";
import type { MarketData } from "../ports/market-data.ts";

/** What the chat commands read and write: the account, its history, its control, the market. */
export interface CommandDeps {
  readonly store: Pick<AccountStore, "loadState">;
  readonly history: Pick<AccountHistory, "listTrades" | "cycleHistory" | "cycleNotes">;
  /** How many alerts of the account were set aside (dead letters). */
  readonly deadLetters: (accountId: string) => Promise<number>;
  readonly control: AccountControl;
  readonly market: Pick<MarketData, "closedCandles" | "symbolFilters">;
  readonly config: CycleConfig;
  readonly now: () => number;
  /** Sends what the account's outbox holds (a forced exit's alert), when the runner delivers. */
  readonly deliver?: (accountId: string) => Promise<unknown>;
}

/** Where a command comes from: the chat, the account it serves now, and how events name it. */
export interface Chat {
  readonly chatId: string;
  readonly accountId: string;
  /** "Telegram chat 123456789". */
  readonly where: string;
}
