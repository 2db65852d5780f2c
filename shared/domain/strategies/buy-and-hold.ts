import { param } from "./configure.ts";
import type { Strategy } from "./strategy.ts";

/** A baseline: buys on its first cycle with a fraction of the equity, never sells. */
export const buyAndHold: Strategy = {
  name: "buy-and-hold",
  version: "1.0.0",
  description: "Baseline: BUY once with `fraction` of the equity, never sell",
  params: {
    fraction: { type: "number", default: 1, min: 0.01, max: 1, doc: "share of the equity to buy with" },
  },
  minimumCandles: () => 1,
  lookback: () => 1,
  evaluate(series, last, _count, params) {
    const close = series.close[last] as number;
    return {
      action: "BUY",
      reason: "buy and hold",
      price: close,
      plan: {
        entry: close,
        targets: [],
        stopToEntryAfterFirstTarget: false,
        size: { equityFraction: param(params, "fraction") },
      },
    };
  },
};
