import type { CandleSeries } from "../market/candle-series.ts";
import { param } from "./configure.ts";
import type { Strategy } from "./strategy.ts";

/**
 * Prefix sums of the closes, exact (each close as an integer count of 1e-8, summed in bigint),
 * computed once per series: the SMA of any window is then one subtraction, O(1) per candle in a
 * backtest instead of a re-scan of the period.
 */
const prefixes = new WeakMap<CandleSeries, BigInt64Array>();
const SCALE = 1e8;

function closeSums(series: CandleSeries): BigInt64Array {
  let sums = prefixes.get(series);
  if (!sums) {
    sums = new BigInt64Array(series.length + 1);
    for (let i = 0; i < series.length; i++)
      sums[i + 1] = (sums[i] as bigint) + BigInt(Math.round((series.close[i] as number) * SCALE));
    prefixes.set(series, sums);
  }
  return sums;
}

const pct = (value: number) => `${value.toFixed(1)}%`;

/** The reference daemon's moving-average distance rule (docs/ma-distance.md). */
export const maDistance: Strategy = {
  name: "ma-distance",
  version: "1.0.0",
  description:
    "BUY when the close is buyThreshold % below its SMA, SELL when sellThreshold % above; no stop or target unless stopLossPct is given",
  params: {
    maPeriod: { type: "integer", default: 20, min: 2, max: 1000, doc: "closes in the simple moving average" },
    buyThreshold: {
      type: "number",
      default: -2.4,
      min: -99,
      max: 0,
      doc: "percent distance at or below which it buys",
    },
    sellThreshold: {
      type: "number",
      default: 2.0,
      min: 0,
      max: 1000,
      doc: "percent distance at or above which it sells",
    },
    stopLossPct: {
      type: "number",
      min: 0.1,
      max: 99,
      doc: "stop loss this many percent below the entry (off by default)",
    },
  },
  minimumCandles: (params) => param(params, "maPeriod"),
  lookback: (params) => param(params, "maPeriod"),
  evaluate(series, last, count, params) {
    const period = param(params, "maPeriod");
    if (count < period || last + 1 < period) {
      throw new RangeError(`a window of ${count} candles is shorter than the ${period} the SMA needs`);
    }
    const sums = closeSums(series);
    const sma = Number((sums[last + 1] as bigint) - (sums[last + 1 - period] as bigint)) / SCALE / period;
    const close = series.close[last] as number;
    const distance = ((close - sma) / sma) * 100;
    const buy = param(params, "buyThreshold");
    const sell = param(params, "sellThreshold");
    const view = { sma, distance };
    if (distance <= buy) {
      const stop = params.stopLossPct;
      return {
        action: "BUY",
        reason: `Price ${pct(distance)} below MA${period} (threshold: ${pct(buy)})`,
        price: close,
        plan: {
          entry: close,
          stopLoss: stop === undefined ? undefined : close * (1 - stop / 100),
          targets: [],
          stopToEntryAfterFirstTarget: false,
        },
        view,
      };
    }
    if (distance >= sell) {
      return {
        action: "SELL",
        reason: `Price +${pct(distance)} above MA${period} (threshold: +${pct(sell)})`,
        price: close,
        view,
      };
    }
    // Most candles HOLD: the reason is written when someone reads it (a backtest reads few).
    return {
      action: "HOLD",
      get reason() {
        return `Price ${pct(distance)} from MA${period}, inside (${pct(buy)}, +${pct(sell)})`;
      },
      price: close,
      view,
    };
  },
};
