import type { Pause } from "../../domain/control/pause.ts";
import type { Candle } from "../../domain/market/candle.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { Lock } from "../../domain/trading/risk-state.ts";

/**
 * What decided a live cycle's trades, flat and comparable: the strategy, its version and every
 * parameter in force, the fee, the stake of the pair's timeframe, the position limit, the
 * smallest entry and the window. Recorded with each cycle, so `npm run report` can tell a
 * divergence caused by a change of settings from one it cannot explain.
 */
export type CycleSettings = Readonly<Record<string, string>>;

/** A position whole, as JSON: decimals as exact strings. */
export interface PositionJson {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly baseAsset: string;
  readonly quantity: string;
  readonly entryPrice: string;
  readonly entryTime: number;
  readonly stopLoss?: string;
  readonly takeProfit1?: string;
  readonly tp1Fraction: string;
  readonly takeProfit2?: string;
  readonly tp1Taken: boolean;
  readonly stopToEntryAfterTp1: boolean;
  readonly lastEvaluated: number;
  readonly markPrice: string;
  readonly trailing?: TrailingJson;
}

/**
 * What a live cycle decided on and left behind, recorded with it so that `npm run report` can
 * replay it from the same state and tell "Binance now serves other candles" from "the code
 * decides differently": the code version, the closed candle as served, a digest of the whole
 * window, the account version the decision was made on, and the pair's position after it, whole.
 */
export interface CycleBasis {
  readonly code: string;
  /** The candle that closed, as Binance served it then. */
  readonly candle: Candle;
  /** The closed candles the strategy read: the first one's open time, how many, and their SHA-256. */
  readonly window: { readonly from: number; readonly count: number; readonly sha256: string };
  /** The account's version when the cycle read it (the balances it decided on). */
  readonly accountVersion: number;
  /** The pair's position after the cycle; null when flat. */
  readonly positionAfter: PositionJson | null;
  /** With protections on: what they remember after the cycle (the next cycle's starting point). */
  readonly riskAfter?: RiskStateJson;
  /** The pause in force when the cycle decided (/pause), when there was one. */
  readonly paused?: Pause;
}

/** What the protections remember, as JSON: decimals as exact strings (how the stores and the cycle records keep it). */
export interface RiskStateJson {
  readonly exits: readonly { readonly pair: string; readonly close: number; readonly reason: string }[];
  readonly marks: readonly { readonly close: number; readonly equity: string }[];
  readonly keepMs: number;
  readonly day?: { readonly date: number; readonly opening: string };
  readonly locks: readonly Lock[];
}

/** A position's trailing stop as JSON. */
export interface TrailingJson {
  readonly activation: string;
  readonly distance: string;
  readonly highestClose?: string;
  readonly raised: boolean;
}
