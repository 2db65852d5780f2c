import type { Trade } from "../../domain/account/account.ts";
import type { Pause } from "../../domain/control/pause.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { Alert } from "./alerts.ts";

/** What a person did to an account from a chat, kept in its ledger for the report and status. */
export interface ControlEvent {
  readonly kind: "pause" | "resume" | "forced-exit";
  /** "all", or the pair ("BNBUSDT 4h"). */
  readonly target: string;
  /** Epoch ms. */
  readonly at: number;
  /** For people: "/pause in Telegram chat 123456789". */
  readonly by: string;
  /** A forced exit's fill, for people: "0.783 BNB at 640.12 USDT". */
  readonly detail?: string;
}

/** A forced exit, committed in one transaction with the same guards as a cycle's. */
export interface ForcedExitCommit {
  readonly accountId: string;
  /** The account version the exit was decided on. */
  readonly expectedVersion: number;
  readonly trade: Trade;
  readonly position: {
    readonly symbol: string;
    readonly timeframe: Timeframe;
    readonly previousVersion: number;
  };
  readonly alert: Alert;
  readonly event: ControlEvent;
}

/** A person's control of an account (pause, resume, forced exit), as the chat commands use it. */
export interface AccountControl {
  /** Sets the account's pause on the version it was read at (VersionConflictError when it moved), recording the event. */
  setPause(accountId: string, pause: Pause, expectedVersion: number, event: ControlEvent): Promise<void>;
  /** Sells a position: the fill, the balances, the position gone, the alert and the event, all or nothing. */
  commitForcedExit(commit: ForcedExitCommit): Promise<void>;
  /** The account's control events, newest first. */
  controlEvents(accountId: string, limit: number): Promise<ControlEvent[]>;
}
