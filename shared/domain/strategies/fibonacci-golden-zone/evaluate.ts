import { InvalidCandlesError } from "../../errors.ts";
import type { Candle } from "../../market/candle.ts";
import { type CandleSeries, toCandleSeries } from "../../market/candle-series.ts";
import { lastEma } from "../indicators.ts";
import type { Signal, Trend } from "../signal.ts";
import { BEARISH, BULLISH, findConfirmations } from "./confirmations.ts";
import { fibonacciLevels, levelAt } from "./levels.ts";
import { DEFAULT_STRATEGY_PARAMS, minimumCandles, type StrategyParams } from "./params.ts";
import { lastSwing } from "./swing-points.ts";

/**
 * The Fibonacci Golden Zone signal for the window of `window` candles of `series` ending at
 * index `last` (included). The series is validated already, so nothing is copied.
 *
 * Steps: trend from three EMAs → latest swing high and low → Fibonacci levels → is the close
 * inside the golden zone → candle confirmations → BUY / SELL / HOLD.
 */
export function evaluateWindow(
  series: CandleSeries,
  last: number,
  window: number,
  params: StrategyParams = DEFAULT_STRATEGY_PARAMS,
): Signal {
  const start = last - window + 1;
  const end = last + 1;
  if (window < minimumCandles(params)) {
    throw new InvalidCandlesError(
      `a window of ${window} candles is shorter than the ${minimumCandles(params)} the trend needs`,
    );
  }
  if (start < 0 || end > series.length) {
    throw new InvalidCandlesError(
      `the window of ${window} candles ending at #${last} is outside the ${series.length} candles given`,
    );
  }
  const price = series.close[last] as number;

  const fast = lastEma(series.close, start, end, params.emaFast);
  const mid = lastEma(series.close, start, end, params.emaMid);
  const slow = lastEma(series.close, start, end, params.emaSlow);
  let trend: Trend;
  if (fast > mid && mid > slow) trend = "UPTREND";
  else if (fast < mid && mid < slow) trend = "DOWNTREND";
  else return { action: "HOLD", trend: "LATERAL", reason: "the EMAs show no trend", price };
  const up = trend === "UPTREND";

  const highIndex = lastSwing(series.high, start, end, params.swingLookback, "high");
  const lowIndex = lastSwing(series.low, start, end, params.swingLookback, "low");
  if (highIndex < 0 || lowIndex < 0) {
    return {
      action: "HOLD",
      trend,
      reason: `no swing ${highIndex < 0 ? "high" : "low"} in the window`,
      price,
    };
  }
  const high = series.high[highIndex] as number;
  const low = series.low[lowIndex] as number;
  if (high <= low) {
    return {
      action: "HOLD",
      trend: "UNKNOWN",
      reason: "the latest swing high is not above the latest swing low",
      price,
    };
  }

  const levels = fibonacciLevels(high, low, up);
  const a = levelAt(params.zoneLow, high, low, up);
  const b = levelAt(params.zoneHigh, high, low, up);
  if (price < Math.min(a, b) || price > Math.max(a, b)) {
    return { action: "HOLD", trend, reason: "the price is outside the golden zone", price, levels };
  }

  const confirmations = findConfirmations(series, start, end, params);
  const min = params.minConfirmations;
  if (confirmations.length < min) {
    const reason = `${confirmations.length} confirmation(s) in the golden zone, ${min} needed`;
    return { action: "HOLD", trend, reason, price, levels, confirmations };
  }
  const agreeing = confirmations.filter((name) => (up ? BULLISH : BEARISH).has(name));
  if (agreeing.length < min) {
    const reason = `${agreeing.length} confirmation(s) agree with the ${trend.toLowerCase()}, ${min} needed`;
    return { action: "HOLD", trend, reason, price, levels, confirmations };
  }
  return {
    action: up ? "BUY" : "SELL",
    trend,
    reason: `${up ? "uptrend" : "downtrend"} pullback into the golden zone with ${agreeing.join(", ")}`,
    price,
    levels,
    confirmations: agreeing,
    plan: {
      entry: price,
      stopLoss: levelAt(params.stopLevel, high, low, up),
      takeProfit1: levelAt(params.takeProfit1Level, high, low, up),
      takeProfit2: levelAt(params.takeProfit2Level, high, low, up),
    },
  };
}

/** The signal for a whole window of closed candles (oldest first), validated first. */
export function fibonacciSignal(
  candles: readonly Candle[],
  params: StrategyParams = DEFAULT_STRATEGY_PARAMS,
): Signal {
  const series = toCandleSeries(candles);
  return evaluateWindow(series, series.length - 1, series.length, params);
}
