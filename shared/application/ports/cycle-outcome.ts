import type { Timeframe } from "../../domain/market/timeframe.ts";

/** One fill, decimals as exact strings. */
export interface FillView {
  readonly side: "BUY" | "SELL";
  readonly quantity: string;
  readonly price: string;
  readonly quoteAmount: string;
  readonly fee: string;
  readonly reason: string;
  /** Open time of the candle the fill belongs to, ISO-8601 UTC. */
  readonly candle: string;
  readonly realizedPnl?: string;
}

export interface PositionView {
  readonly quantity: string;
  readonly entryPrice: string;
  readonly entryTime: string;
  /** Absent when the position has no such exit. */
  readonly stopLoss?: string;
  readonly takeProfit1?: string;
  readonly takeProfit2?: string;
  readonly tp1Taken: boolean;
}

/** The stable, documented result of one cycle (returned by the handler, logged, printed by the CLIs). */
export interface CycleResult {
  /** ok; duplicate (the candle was committed before: its outcome); stale (refused: not after the
   * pair's last committed candle, too late, or not closed yet); failed (see `error.retryable`). */
  readonly status: "ok" | "duplicate" | "stale" | "failed";
  readonly dryRun: boolean;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly accountId: string;
  /** The strategy that decided (absent on results recorded before strategies were plug-ins). */
  readonly strategy?: string;
  /** "signals" for an alert-only cycle, which touches no account. */
  readonly mode?: "signals";
  readonly candle?: { readonly openTime: string; readonly closeTime: string; readonly close: number };
  /** The strategy's signal: action and reason, then what the strategy shows (Fibonacci: trend, levels, confirmations, prices). */
  readonly signal?: {
    readonly action: string;
    readonly reason: string;
    readonly [detail: string]: unknown;
  };
  readonly exits: readonly FillView[];
  readonly entry: FillView | null;
  /** Why a BUY opened nothing. */
  readonly entrySkipped?: string;
  /** With protections on: those in force after the cycle, what it engaged and released, and which one kept a BUY out. */
  readonly protections?: {
    readonly active: readonly ProtectionView[];
    readonly engaged: readonly string[];
    readonly released: readonly string[];
    readonly blockedEntry?: string;
  };
  readonly position: PositionView | null;
  /** A rebalance's fills (sells first, then buys), each with its symbol. */
  readonly legs?: readonly (FillView & { readonly symbol: string })[];
  /** A rebalance's legs below the exchange's minimum: side, symbol and why. */
  readonly skippedLegs?: readonly string[];
  readonly account?: { readonly usdtFree: string; readonly equity: string };
  /** Open positions of the account whose pair the watchlist no longer schedules ("ETHUSDT 1h"). */
  readonly unmanagedPositions?: readonly string[];
  /** Alerts sent, not sent (they wait in the outbox), and set aside as dead letters (npm run status lists them). */
  readonly alerts?: { readonly sent: number; readonly failed: number; readonly setAside?: number };
  readonly durationMs: number;
  readonly error?: { readonly type: string; readonly message: string; readonly retryable: boolean };
}

/** A protection in force: which, on what (a pair or "account"), since and until (ISO-8601 UTC, candle closes), and why. */
export interface ProtectionView {
  readonly protection: string;
  readonly scope: string;
  readonly since: string;
  readonly until: string;
  readonly reason: string;
}
