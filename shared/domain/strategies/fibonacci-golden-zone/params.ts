/** The tunable numbers of the Fibonacci Golden Zone strategy; the defaults reproduce the reference. */
export interface StrategyParams {
  readonly emaFast: number;
  readonly emaMid: number;
  readonly emaSlow: number;
  readonly rsiPeriod: number;
  /** How many candles back the RSI divergence compares with. */
  readonly divergenceLookback: number;
  readonly volumePeriod: number;
  readonly volumeFactor: number;
  /** Candles on each side of a swing point. */
  readonly swingLookback: number;
  /** Golden zone bounds, as Fibonacci ratios (bounds included). */
  readonly zoneLow: number;
  readonly zoneHigh: number;
  readonly stopLevel: number;
  readonly takeProfit1Level: number;
  readonly takeProfit2Level: number;
  readonly minConfirmations: number;
  /** 1: the divergence's RSI with Wilder's smoothing; absent or 0: simple averages (the reference's). */
  readonly rsiWilder?: number;
}

export const DEFAULT_STRATEGY_PARAMS: StrategyParams = Object.freeze({
  emaFast: 20,
  emaMid: 50,
  emaSlow: 200,
  rsiPeriod: 14,
  divergenceLookback: 5,
  volumePeriod: 20,
  volumeFactor: 1.5,
  swingLookback: 20,
  zoneLow: 0.5,
  zoneHigh: 0.618,
  stopLevel: 0.786,
  takeProfit1Level: 1.618,
  takeProfit2Level: 2.618,
  minConfirmations: 2,
});

/** The parameters that count things (candles, confirmations): whole numbers. */
export const INTEGER_PARAMS = [
  "emaFast",
  "emaMid",
  "emaSlow",
  "rsiPeriod",
  "divergenceLookback",
  "volumePeriod",
  "swingLookback",
  "minConfirmations",
] as const;

/** Merges overrides into the defaults and rejects values the strategy cannot use. */
export function strategyParams(overrides: Partial<StrategyParams> = {}): StrategyParams {
  const params = { ...DEFAULT_STRATEGY_PARAMS, ...overrides };
  for (const key of INTEGER_PARAMS) {
    if (!Number.isInteger(params[key]) || params[key] < 1) {
      throw new RangeError(`strategy parameter ${key} must be a positive integer, got ${params[key]}`);
    }
  }
  const ratios = [
    "volumeFactor",
    "zoneLow",
    "zoneHigh",
    "stopLevel",
    "takeProfit1Level",
    "takeProfit2Level",
  ] as const;
  for (const key of ratios) {
    if (!Number.isFinite(params[key]) || params[key] <= 0) {
      throw new RangeError(`strategy parameter ${key} must be a positive number, got ${params[key]}`);
    }
  }
  if (params.zoneLow > params.zoneHigh) {
    throw new RangeError(
      `strategy parameter zoneLow (${params.zoneLow}) is above zoneHigh (${params.zoneHigh})`,
    );
  }
  return Object.freeze(params);
}

/** Candles the strategy needs at least: the slow EMA's span decides the trend. */
export function minimumCandles(params: StrategyParams): number {
  return params.emaSlow;
}
