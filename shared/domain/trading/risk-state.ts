import type { TradeReason } from "../account/trade-reason.ts";
import type { Decimal } from "../money/decimal.ts";

export type ProtectionName = "cooldown" | "stopLossGuard" | "maxDrawdown" | "dailyLossLimit";

/** A protection in force: no new entry on `scope` (a pair, "BNBUSDT 4h", or the whole account) at closes before `until`. */
export interface Lock {
  readonly protection: ProtectionName;
  readonly scope: string;
  /** The close at which it engaged, and the first close at which it no longer holds (epoch ms). */
  readonly since: number;
  readonly until: number;
  /** What engaged it, for people. */
  readonly reason: string;
}

export const ACCOUNT_SCOPE = "account";

/**
 * What an account's protections remember between cycles, kept on the account and committed with
 * every cycle (so every store, the backtest and the report see the same): recent exits, the
 * equity each cycle left, the UTC day's opening equity, and the locks in force.
 */
export interface RiskState {
  readonly exits: readonly { readonly pair: string; readonly close: number; readonly reason: TradeReason }[];
  readonly marks: readonly { readonly close: number; readonly equity: Decimal }[];
  /** How far back exits and marks are kept (ms): the longest lookback a cycle needed. */
  readonly keepMs: number;
  /** The UTC day (days since 1970) of the latest cycle, and the equity the account had when it began. */
  readonly day?: { readonly date: number; readonly opening: Decimal } | undefined;
  readonly locks: readonly Lock[];
}

export const EMPTY_RISK_STATE: RiskState = Object.freeze({ exits: [], marks: [], keepMs: 0, locks: [] });

/**
 * What the state may hold at most, whatever the settings: equity marks (about 50 bytes each) and
 * exits (about 60), far under DynamoDB's 400 KB item together. The newest are kept.
 */
export const MAX_RISK_MARKS = 2_000;
export const MAX_RISK_EXITS = 1_000;
