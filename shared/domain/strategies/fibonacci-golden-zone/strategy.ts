import type { Signal } from "../signal.ts";
import type { ParamSpec, Strategy, StrategyParams, StrategySignal } from "../strategy.ts";
import { evaluateWindow } from "./evaluate.ts";
import {
  DEFAULT_STRATEGY_PARAMS,
  type StrategyParams as FibonacciParams,
  INTEGER_PARAMS,
  minimumCandles,
  strategyParams,
} from "./params.ts";
import { signalToJsonl } from "./reference-line.ts";

/** How the strategy takes profit: half at take-profit 1, then the stop to entry (the reference's rule). */
export const FIBONACCI_EXITS = Object.freeze({ firstTargetFraction: 0.5, stopToEntryAfterFirstTarget: true });

const DOCS: Record<Exclude<keyof FibonacciParams, "rsiWilder">, string> = {
  emaFast: "fast EMA of the trend",
  emaMid: "middle EMA of the trend",
  emaSlow: "slow EMA of the trend (also the candles needed at least)",
  rsiPeriod: "RSI period for divergences",
  divergenceLookback: "candles back the RSI divergence compares with",
  volumePeriod: "candles of the average volume",
  volumeFactor: "a volume spike is this many times the average",
  swingLookback: "candles on each side of a swing point",
  zoneLow: "golden zone's lower ratio",
  zoneHigh: "golden zone's upper ratio",
  stopLevel: "ratio of the stop loss",
  takeProfit1Level: "ratio of take-profit 1 (sells half, then the stop moves to entry)",
  takeProfit2Level: "ratio of take-profit 2 (sells the rest)",
  minConfirmations: "confirmations needed in the zone",
};
const INTEGERS = new Set<string>(INTEGER_PARAMS);

const PARAMS: Record<string, ParamSpec> = {
  ...Object.fromEntries(
    Object.entries(DEFAULT_STRATEGY_PARAMS).map(([name, value]) => {
      const doc = DOCS[name as keyof typeof DOCS];
      return [
        name,
        INTEGERS.has(name)
          ? { type: "integer", default: value, min: 1, max: 1000, doc }
          : { type: "number", default: value, min: 0.001, max: 10, doc },
      ];
    }),
  ),
  // Off unless given, so recorded settings and the reference's signals stay as they were.
  rsiWilder: {
    type: "integer",
    min: 0,
    max: 1,
    doc: "1: the divergence's RSI with Wilder's smoothing (as TradingView and TA-Lib); absent: simple averages, as the reference",
  },
};

/** The domain's parameters, validated once per configured parameter set (evaluate runs per candle). */
const converted = new WeakMap<StrategyParams, FibonacciParams>();
function asFibonacci(params: StrategyParams): FibonacciParams {
  let fib = converted.get(params);
  if (!fib) {
    fib = strategyParams(params as Partial<FibonacciParams>);
    converted.set(params, fib);
  }
  return fib;
}

/**
 * The domain signal seen through the port. Built per candle, so nothing is copied up front: the
 * plan and the view (what results show) are made when asked for.
 */
class FibonacciSignal implements StrategySignal {
  readonly domain: Signal;

  constructor(domain: Signal) {
    this.domain = domain;
  }

  get action() {
    return this.domain.action;
  }

  get reason() {
    return this.domain.reason;
  }

  get price() {
    return this.domain.price;
  }

  get plan() {
    const plan = this.domain.plan;
    if (this.domain.action !== "BUY" || !plan) return undefined;
    return {
      entry: plan.entry,
      stopLoss: plan.stopLoss,
      targets: [
        { price: plan.takeProfit1, fraction: FIBONACCI_EXITS.firstTargetFraction },
        { price: plan.takeProfit2, fraction: 1 },
      ],
      stopToEntryAfterFirstTarget: FIBONACCI_EXITS.stopToEntryAfterFirstTarget,
    };
  }

  get view() {
    const { trend, levels, confirmations, plan } = this.domain;
    return {
      trend,
      ...(levels ? { levels: { high: levels.high, low: levels.low, ...levels.ratios } } : {}),
      ...(confirmations ? { confirmations } : {}),
      ...(plan ? { ...plan } : {}),
    };
  }
}

/** The Fibonacci Golden Zone, byte for byte the reference's (docs/strategy.md). */
export const fibonacciGoldenZone: Strategy = {
  name: "fibonacci-golden-zone",
  version: "1.0.0",
  description:
    "BUY a pullback into the 0.5–0.618 golden zone of an uptrend with two confirmations; stop, half at TP1, rest at TP2",
  params: PARAMS,
  check: (params) => void asFibonacci(params),
  minimumCandles: (params) => minimumCandles(asFibonacci(params)),
  evaluate: (series, last, count, params) =>
    new FibonacciSignal(evaluateWindow(series, last, count, asFibonacci(params))),
  line(openTime, signal) {
    if (!(signal instanceof FibonacciSignal))
      throw new Error("a Fibonacci line needs a signal this strategy made");
    return signalToJsonl(openTime, signal.domain);
  },
};
