import type { Pause } from "../control/pause.ts";
import type { Timeframe } from "../market/timeframe.ts";
import type { Decimal } from "../money/decimal.ts";
import type { RiskState } from "../trading/risk-state.ts";
import type { TradeReason } from "./trade-reason.ts";

/** The paper account: balances per asset, cash in its quote asset (USDT by default). */
export interface Account {
  readonly id: string;
  readonly quoteAsset: string;
  readonly initialBalance: Decimal;
  readonly balances: Readonly<Record<string, Decimal>>;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  /** Bumped by every commit that moves money (or, with protections on, by every cycle), for optimistic concurrency. */
  readonly version: number;
  /** What the account's protections remember (absent: none on, or no cycle since they were). */
  readonly risk?: RiskState | undefined;
  /** New entries stopped by a person (/pause); absent: not paused. */
  readonly paused?: Pause | undefined;
}

/** A new account: `initialBalance` of its quote asset, version 0. */
export function newAccount(id: string, initialBalance: Decimal, now: Date, quoteAsset: string): Account {
  return {
    id,
    quoteAsset,
    initialBalance,
    balances: { [quoteAsset]: initialBalance },
    createdAt: now.toISOString(),
    version: 0,
  };
}

/** An open long position, owned by the (symbol, timeframe) pair whose cycle opened it. */
export interface Position {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly baseAsset: string;
  readonly quantity: Decimal;
  readonly entryPrice: Decimal;
  /** Open time (epoch ms) of the candle whose close opened the position. */
  readonly entryTime: number;
  /** Sells everything at or below it; absent: no stop (the strategy's SELL closes the position). */
  readonly stopLoss?: Decimal | undefined;
  /** Sells `tp1Fraction` of the position once; absent: no first target. */
  readonly takeProfit1?: Decimal | undefined;
  readonly tp1Fraction: Decimal;
  /** Sells the rest; absent: no final target. */
  readonly takeProfit2?: Decimal | undefined;
  readonly tp1Taken: boolean;
  /** After take-profit 1, the stop moves to the entry price (the Fibonacci strategy's rule). */
  readonly stopToEntryAfterTp1: boolean;
  /** The trailing stop, when the account has one (absent: none). */
  readonly trailing?: TrailingState | undefined;
  /** Open time of the last candle checked for exits (epoch ms). */
  readonly lastEvaluated: number;
  /** Close of that candle: what the position is worth per unit, for the account's equity. */
  readonly markPrice: Decimal;
  /** The item's own version, for conditional updates. */
  readonly version: number;
}

/** A position's trailing stop: it starts at a close of `activation` or more, then keeps the stop `distance` (a fraction) below the highest close. */
export interface TrailingState {
  readonly activation: Decimal;
  readonly distance: Decimal;
  /** The highest close since it started; absent until then. */
  readonly highestClose?: Decimal | undefined;
  /** The stop is the trailing stop's (it was raised above the strategy's). */
  readonly raised: boolean;
}

export type TradeSide = "BUY" | "SELL";

/** One fill of the immutable ledger. Fees are paid in the quote asset. */
export interface Trade {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly side: TradeSide;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly quantity: Decimal;
  readonly price: Decimal;
  /** quantity × price. */
  readonly quoteAmount: Decimal;
  readonly fee: Decimal;
  readonly reason: TradeReason;
  /** Open time (epoch ms) of the candle the fill belongs to. */
  readonly candleTime: number;
  /** Position within the cycle's fills (0, 1, …), so a cycle's trades have distinct keys. */
  readonly sequence: number;
  /** For exits: (price − entry) × quantity − both fees' share. */
  readonly realizedPnl?: Decimal;
}
