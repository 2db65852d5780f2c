import { param } from "./configure.ts";
import type { Strategy } from "./strategy.ts";

/**
 * A baseline: buys a fixed quote amount every N candles and never sells; the position grows and
 * its entry is the quantity-weighted average. "Every N candles" is counted from the epoch (the
 * candles whose open time is a multiple of N intervals), so it is a pure function of the window.
 */
export const dca: Strategy = {
  name: "dca",
  version: "1.0.0",
  description: "Baseline: BUY `quoteAmount` every `every` candles, adding to the position; never sell",
  params: {
    quoteAmount: { type: "number", default: 100, min: 1, max: 1_000_000, doc: "quote asset spent per buy" },
    every: { type: "integer", default: 6, min: 1, max: 10_000, doc: "buy on every N-th candle" },
  },
  minimumCandles: () => 2,
  lookback: () => 2,
  evaluate(series, last, _count, params) {
    const close = series.close[last] as number;
    const interval = (series.openTime[last] as number) - (series.openTime[last - 1] as number);
    const n = param(params, "every");
    if (Math.round((series.openTime[last] as number) / interval) % n !== 0) {
      return { action: "HOLD", reason: `not a ${n}-th candle`, price: close };
    }
    return {
      action: "BUY",
      reason: `DCA: ${param(params, "quoteAmount")} every ${n} candles`,
      price: close,
      plan: {
        entry: close,
        targets: [],
        stopToEntryAfterFirstTarget: false,
        size: { quoteAmount: param(params, "quoteAmount") },
        addToPosition: true,
      },
    };
  },
};
