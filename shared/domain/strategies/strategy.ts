import type { CandleSeries } from "../market/candle-series.ts";
import type { EntryPlan } from "../trading/entry-plan.ts";
import type { Action } from "./signal.ts";

/** One tunable number of a strategy: its type, default, bounds and what it means. */
export interface ParamSpec {
  readonly type: "integer" | "number";
  /** Absent: the parameter is off unless given. */
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
  readonly doc: string;
}

export type StrategyParams = Readonly<Record<string, number | undefined>>;

/** What a strategy says about a window: a BUY carries its plan (entry, exits, size). */
export interface StrategySignal {
  readonly action: Action;
  /** Why, for people reading logs and alerts. */
  readonly reason: string;
  /** Close of the window's last candle. */
  readonly price: number;
  readonly plan?: EntryPlan | undefined;
  /** What results show of the signal besides action and reason (Fibonacci: trend, levels, confirmations, prices). */
  readonly view?: Readonly<Record<string, unknown>>;
}

/**
 * A trading strategy: a name, a version, typed parameters with defaults and bounds, the candles it
 * needs at least, and a pure evaluation of a window. The cycle, the backtest, `npm run signals`
 * and the local runner take strategies from the registry (shared/domain/strategies/registry.ts);
 * nothing else names one.
 */
export interface Strategy {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Rules across parameters (e.g. a lower bound below an upper one); throws RangeError naming them. */
  check?(params: StrategyParams): void;
  minimumCandles(params: StrategyParams): number;
  /**
   * Closed candles its evaluation reads, ending with the last (a moving average's period); absent:
   * the whole window. The cycle fetches no more than this from Binance.
   */
  lookback?(params: StrategyParams): number;
  /** Pure: the window of `count` candles of `series` ending at index `last` (included). */
  evaluate(series: CandleSeries, last: number, count: number, params: StrategyParams): StrategySignal;
  /** One line of `npm run signals` output; default: JSON with t, action, reason, price and the view. */
  line?(openTime: number, signal: StrategySignal): string;
  /**
   * Optional, for speed: the action `evaluate` gives for every window ending at `from`…`to − 1`
   * (each of min(`count`, last + 1) candles), as ACTION_CODES. The optimizer screens candles with
   * it and evaluates only where the action matters; it must equal `evaluate`'s, candle for candle.
   */
  actions?(series: CandleSeries, from: number, to: number, count: number, params: StrategyParams): Int8Array;
}

/** Actions as the `actions` hook writes them. */
export const ACTION_CODES = Object.freeze({ HOLD: 0, BUY: 1, SELL: 2 });

/** A strategy with its parameters checked: what the cycle runs. */
export interface ConfiguredStrategy {
  readonly name: string;
  readonly version: string;
  readonly params: StrategyParams;
  readonly minimumCandles: number;
  /** Candles its evaluation reads (see Strategy.lookback); undefined: the whole window. */
  readonly lookback: number | undefined;
  evaluate(series: CandleSeries, last: number, count: number): StrategySignal;
  line(openTime: number, signal: StrategySignal): string;
  /** See Strategy.actions; undefined when the strategy has none. */
  readonly actions:
    | ((series: CandleSeries, from: number, to: number, count: number) => Int8Array)
    | undefined;
}
