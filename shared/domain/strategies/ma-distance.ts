import type { CandleSeries } from "../market/candle-series.ts";
import { dec } from "../money/decimal.ts";
import { param } from "./configure.ts";
import { ACTION_CODES, type Strategy } from "./strategy.ts";

/**
 * Prefix sums of the closes, exact (each close as an integer count of 1e-8), computed once per
 * series: the SMA of any window is then one subtraction, O(1) per candle in a backtest instead of
 * a re-scan of the period. In doubles while every sum is an integer below 2^53 (exact there, and
 * fast), in bigints otherwise (prices with more than 8 decimals, or sums too large).
 */
const prefixes = new WeakMap<CandleSeries, Float64Array | BigInt64Array>();
const SCALE = 1e8;

function closeSums(series: CandleSeries): Float64Array | BigInt64Array {
  let sums = prefixes.get(series);
  if (!sums) {
    const exact = new Float64Array(series.length + 1);
    let safe = true;
    for (let i = 0; i < series.length && safe; i++) {
      const units = Math.round((series.close[i] as number) * SCALE);
      const next = (exact[i] as number) + units;
      safe = units / SCALE === series.close[i] && Number.isSafeInteger(next);
      exact[i + 1] = next;
    }
    if (safe) sums = exact;
    else {
      const big = new BigInt64Array(series.length + 1);
      for (let i = 0; i < series.length; i++)
        big[i + 1] = (big[i] as bigint) + BigInt(Math.round((series.close[i] as number) * SCALE));
      sums = big;
    }
    prefixes.set(series, sums);
  }
  return sums;
}

/** The sum of the closes of [from, to) in units of 1e-8, as a number. */
function sumOf(sums: Float64Array | BigInt64Array, from: number, to: number): number {
  return sums instanceof Float64Array
    ? (sums[to] as number) - (sums[from] as number)
    : Number((sums[to] as bigint) - (sums[from] as bigint));
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
    checkWindow(count, last, period);
    const sma = smaAt(closeSums(series), last, period);
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
          // In decimals: 1874 × 0.985 is 1845.89, not the double 1845.8899… a tick floor would cut to 1845.88.
          stopLoss: stop === undefined ? undefined : stopBelow(close, stop),
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
    return {
      action: "HOLD",
      reason: `Price ${pct(distance)} from MA${period}, inside (${pct(buy)}, +${pct(sell)})`,
      price: close,
      view,
    };
  },
  // The same rule as evaluate, for every window at once (the optimizer's screen; a test holds them equal).
  actions(series, from, to, count, params) {
    const period = param(params, "maPeriod");
    const buy = param(params, "buyThreshold");
    const sell = param(params, "sellThreshold");
    const sums = closeSums(series);
    const out = new Int8Array(to - from);
    for (let last = from; last < to; last++) {
      checkWindow(Math.min(count, last + 1), last, period);
      const sma = smaAt(sums, last, period);
      const distance = (((series.close[last] as number) - sma) / sma) * 100;
      out[last - from] =
        distance <= buy ? ACTION_CODES.BUY : distance >= sell ? ACTION_CODES.SELL : ACTION_CODES.HOLD;
    }
    return out;
  },
};

function checkWindow(count: number, last: number, period: number): void {
  if (count < period || last + 1 < period)
    throw new RangeError(`a window of ${count} candles is shorter than the ${period} the SMA needs`);
}

const smaAt = (sums: Float64Array | BigInt64Array, last: number, period: number) =>
  sumOf(sums, last + 1 - period, last + 1) / SCALE / period;

/** `close` less `pct` %, computed in decimals (exact), as the number the plan carries. */
const stopBelow = (close: number, pct: number): number =>
  Number(
    dec(String(close))
      .times(dec(100).minus(dec(String(pct))))
      .div(dec(100))
      .toFixed(),
  );
