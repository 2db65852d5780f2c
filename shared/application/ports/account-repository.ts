import type { Account, Position, Trade } from "../../domain/account/account.ts";
import { TradingBotError } from "../../domain/errors.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { Decimal } from "../../domain/money/decimal.ts";
import type { RiskState } from "../../domain/trading/risk-state.ts";
import type { Alert } from "./alerts.ts";
import type { CycleResult } from "./cycle-outcome.ts";
import type { CycleBasis, CycleSettings } from "./cycle-record.ts";
import type { SymbolFilters } from "./market-data.ts";

/** The record that a cycle for (account, symbol, timeframe, candle) has been committed. */
export interface CycleRecord {
  readonly accountId: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Open time of the candle the cycle ran for (epoch ms). */
  readonly candleTime: number;
  readonly action: string;
  /** The cycle's result, returned as-is to a second delivery of the same candle. */
  readonly outcome: CycleResult;
  /** ISO-8601 UTC. */
  readonly recordedAt: string;
  /** The strategy and rules in force (absent on records written before they were recorded). */
  readonly settings?: CycleSettings;
  /** The exchange filters the cycle sized with, when it read them (an entry, a position, a check). */
  readonly filters?: SymbolFilters;
  /** What it decided on (candle, window digest, code, account version) and the position it left. */
  readonly basis?: CycleBasis;
}

/** A live cycle that left no record but a note: it failed (its failure alert went out), or was refused. */
export interface CycleNote {
  readonly kind: "failed" | "refused";
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candleTime: number;
  /** Why a refused cycle was refused ("StaleCycleError", "LateEventError"). */
  readonly reason?: string;
}

/** Everything one cycle writes, atomically. */
export interface CycleCommit {
  readonly cycle: CycleRecord;
  /** The alerts that tell of its trades, queued in the outbox in the same transaction. */
  readonly alerts?: readonly Alert[];
  /** The account version the decision was made on; required when trades move money. */
  readonly expectedVersion: number;
  readonly trades: readonly Trade[];
  /** What the account's protections remember after the cycle (with protections on): written on `expectedVersion`, bumping it. */
  readonly risk?: RiskState;
  /** The pair's position after the cycle: put (opened or changed), delete, or untouched. */
  readonly position?:
    | { readonly kind: "put"; readonly position: Position; readonly previousVersion?: number }
    | {
        readonly kind: "delete";
        readonly symbol: string;
        readonly timeframe: Timeframe;
        readonly previousVersion: number;
      };
}

export interface AccountState {
  readonly account: Account;
  readonly positions: readonly Position[];
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back to get the next page; absent on the last page. */
  readonly cursor?: string;
}

export interface StoredTrade extends Trade {
  readonly accountId: string;
}

/** The paper account as the cycle uses it: its state, and each cycle's commit. */
export interface AccountStore {
  /** Creates the account once with `initialBalance` of `quoteAsset`; returns the existing one when it is there. */
  openAccount(accountId: string, initialBalance: Decimal, now: Date, quoteAsset: string): Promise<Account>;
  loadState(accountId: string): Promise<AccountState | undefined>;
  findCycle(
    accountId: string,
    symbol: string,
    timeframe: Timeframe,
    candleTime: number,
  ): Promise<CycleRecord | undefined>;
  /**
   * Writes the cycle in one transaction. Throws DuplicateCycleError when the candle was
   * committed already, StaleCycleError when a later candle of the pair was (candles only move
   * forward, per account and pair), VersionConflictError when the account moved since
   * `expectedVersion`.
   */
  commitCycle(commit: CycleCommit): Promise<void>;
  /** Notes that a live event for the candle was refused (too late, or not after the pair's last candle). */
  noteRefusal(
    accountId: string,
    symbol: string,
    timeframe: Timeframe,
    candleTime: number,
    reason: string,
  ): Promise<void>;
}

/** What the account did, as its readers use it (the digest, status, the leaderboard, the report): read only. */
export interface AccountHistory {
  loadState(accountId: string): Promise<AccountState | undefined>;
  listTrades(accountId: string, options?: { limit?: number; cursor?: string }): Promise<Page<StoredTrade>>;
  cycleHistory(
    accountId: string,
    symbol: string,
    timeframe: Timeframe,
    options?: { limit?: number; cursor?: string },
  ): Promise<Page<CycleRecord>>;
  /** The account's failed and refused cycles still kept (they expire with the cycle records). */
  cycleNotes(accountId: string): Promise<CycleNote[]>;
}

/** Both faces, as a store implements them; each user takes only the face it uses. */
export type AccountRepository = AccountStore & AccountHistory;

/** The same candle was committed before: `existing` holds what was recorded then. */
export class DuplicateCycleError extends TradingBotError {
  override readonly name: string = "DuplicateCycleError";
  readonly retryable = false;
  readonly existing: CycleRecord;

  constructor(existing: CycleRecord) {
    super(
      `the cycle for ${existing.symbol} ${existing.timeframe} at ${new Date(existing.candleTime).toISOString()} was committed already`,
    );
    this.existing = existing;
  }
}

/** A later candle of the same pair was committed already: this one can no longer trade. */
export class StaleCycleError extends TradingBotError {
  override readonly name: string = "StaleCycleError";
  readonly retryable = false;
  readonly lastCandle: number;

  constructor(cycle: CycleRecord, lastCandle: number) {
    super(
      `${cycle.symbol} ${cycle.timeframe}: the candle of ${new Date(cycle.candleTime).toISOString()} is not after the last one committed for account ${cycle.accountId} (${new Date(lastCandle).toISOString()}); candles only move forward`,
    );
    this.lastCandle = lastCandle;
  }
}

/** Another cycle changed the account (or the position) first: read again, decide again. */
export class VersionConflictError extends TradingBotError {
  override readonly name: string = "VersionConflictError";
  readonly retryable = true;
}

/** A write would have made a balance negative; the transaction was refused as a whole. */
export class InsufficientBalanceError extends TradingBotError {
  override readonly name: string = "InsufficientBalanceError";
  readonly retryable = false;
}

/** An item that does not hold what it should; names the key and the attribute. */
export class CorruptItemError extends TradingBotError {
  override readonly name: string = "CorruptItemError";
  readonly retryable = false;
}

/** The store failed in a way retrying did not fix (throttled too long, unreachable…). */
export class RepositoryUnavailableError extends TradingBotError {
  override readonly name: string = "RepositoryUnavailableError";
  readonly retryable = true;
}

/** A write would pass the store's item size (DynamoDB: 400 KB): refused before it is sent, naming the item. */
export class ItemTooLargeError extends TradingBotError {
  override readonly name: string = "ItemTooLargeError";
  readonly retryable = false;
}
