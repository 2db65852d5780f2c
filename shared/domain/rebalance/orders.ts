import type { Trade } from "../account/account.ts";
import { type Decimal, floorToStep, ZERO } from "../money/decimal.ts";
import { feeFor, type MarketSteps } from "../trading/fills.ts";
import { slipped } from "../trading/slippage.ts";
import type { Basket } from "./basket.ts";

/** One leg at the rebalance's close: its price (the close) and the exchange's steps. */
export interface LegQuote {
  readonly symbol: string;
  readonly price: Decimal;
  readonly steps: MarketSteps;
}

/** A leg the rebalance wanted to trade but could not, and why. */
export interface SkippedLeg {
  readonly symbol: string;
  readonly side: "BUY" | "SELL";
  readonly why: string;
}

export interface RebalancePlan {
  /** Cash plus every leg at its close, before the trades. */
  readonly equity: Decimal;
  /** Each leg's share of equity before the trades and its target (fractions), in the basket's order. */
  readonly weights: readonly {
    readonly symbol: string;
    readonly current: Decimal;
    readonly target: Decimal;
  }[];
  /** The largest distance of a weight from its target, in percentage points. */
  readonly driftPct: Decimal;
  /** True when the drift is past the band (or the band is 0): the plan trades. */
  readonly due: boolean;
  /** Sells first, then buys, each in the basket's order; rounded to the exchange's steps. */
  readonly trades: readonly Trade[];
  readonly skipped: readonly SkippedLeg[];
}

/**
 * The orders that bring the account's holdings to the target weights at the legs' closes: each
 * leg's gap to its target, sold first (freeing cash), then bought with what the cash allows after
 * fees (every buy scaled down alike when it does not reach); quantities rounded down to the lot
 * step; a leg below the symbol's minimum quantity or notional is skipped and named.
 */
export function planRebalance(input: {
  readonly basket: Basket;
  readonly balances: Readonly<Record<string, Decimal>>;
  readonly quoteAsset: string;
  readonly legs: readonly LegQuote[];
  readonly targets: ReadonlyMap<string, Decimal>;
  readonly candleTime: number;
}): RebalancePlan {
  const { basket, balances, quoteAsset, legs, targets, candleTime } = input;
  const held = (leg: LegQuote) => balances[leg.steps.baseAsset] ?? ZERO;
  const cash = balances[quoteAsset] ?? ZERO;
  const equity = legs.reduce((sum, leg) => sum.plus(held(leg).times(leg.price)), cash);
  const weights = legs.map((leg) => ({
    symbol: leg.symbol,
    current: equity.gt(0) ? held(leg).times(leg.price).div(equity) : ZERO,
    target: targets.get(leg.symbol) ?? ZERO,
  }));
  const driftPct = weights.reduce((max, w) => {
    const d = w.current.minus(w.target).abs().times(100);
    return d.gt(max) ? d : max;
  }, ZERO);
  const due = basket.bandPct.eq(0) || driftPct.gt(basket.bandPct);
  if (!due) return { equity, weights, driftPct, due, trades: [], skipped: [] };
  const skipped: SkippedLeg[] = [];
  /** What a leg fills at: its close, slipped against the trader by the basket's basis points. */
  const fillPrice = (leg: LegQuote, side: "BUY" | "SELL") =>
    slipped(leg.price, side, basket.slippageBps, leg.steps.tickSize);
  const fill = (leg: LegQuote, side: "BUY" | "SELL", quantity: Decimal): Trade => {
    const price = fillPrice(leg, side);
    const quoteAmount = quantity.times(price);
    return {
      symbol: leg.symbol,
      timeframe: basket.timeframe,
      side,
      baseAsset: leg.steps.baseAsset,
      quoteAsset,
      quantity,
      price,
      quoteAmount,
      fee: feeFor(quoteAmount, basket.feeRate),
      reason: "rebalance",
      candleTime,
      sequence: 0,
    };
  };
  /** A leg's quantity if the exchange takes it; else undefined, and the leg is named. */
  const tradable = (leg: LegQuote, side: "BUY" | "SELL", quantity: Decimal): Decimal | undefined => {
    const notional = quantity.times(fillPrice(leg, side));
    if (quantity.lte(0) || quantity.lt(leg.steps.minQty) || notional.lt(leg.steps.minNotional)) {
      skipped.push({
        symbol: leg.symbol,
        side,
        why: `${notional.round(2, "down").toFixed()} ${quoteAsset} is below the minimum (${leg.steps.minNotional.toFixed()} ${quoteAsset}, ${leg.steps.minQty.toFixed()} ${leg.steps.baseAsset})`,
      });
      return undefined;
    }
    return quantity;
  };
  const gap = (leg: LegQuote) =>
    equity.times(targets.get(leg.symbol) ?? ZERO).minus(held(leg).times(leg.price));
  const sells: Trade[] = [];
  for (const leg of legs) {
    const g = gap(leg);
    if (g.gte(0)) continue;
    const wanted = (targets.get(leg.symbol) ?? ZERO).eq(0) ? held(leg) : g.neg().div(leg.price);
    const quantity = tradable(leg, "SELL", floorToStep(smaller(wanted, held(leg)), leg.steps.stepSize));
    if (quantity) sells.push(fill(leg, "SELL", quantity));
  }
  const available = sells.reduce((c, t) => c.plus(t.quoteAmount).minus(t.fee), cash);
  const wants = legs
    .filter((leg) => gap(leg).gt(0))
    .map((leg) => ({ leg, quantity: floorToStep(gap(leg).div(fillPrice(leg, "BUY")), leg.steps.stepSize) }));
  const cost = (list: typeof wants) =>
    list.reduce((c, w) => {
      const notional = w.quantity.times(fillPrice(w.leg, "BUY"));
      return c.plus(notional).plus(feeFor(notional, basket.feeRate));
    }, ZERO);
  let buys = wants;
  const need = cost(buys);
  if (need.gt(available) && need.gt(0)) {
    const factor = available.div(need);
    buys = buys.map((w) => ({ ...w, quantity: floorToStep(w.quantity.times(factor), w.leg.steps.stepSize) }));
    // Fees round up: take a step off the largest buy until the cash reaches.
    while (cost(buys).gt(available)) {
      const largest = buys.reduce((a, b) =>
        b.quantity.times(fillPrice(b.leg, "BUY")).gt(a.quantity.times(fillPrice(a.leg, "BUY"))) ? b : a,
      );
      buys = buys.map((w) =>
        w === largest ? { ...w, quantity: w.quantity.minus(w.leg.steps.stepSize) } : w,
      );
    }
  }
  const bought: Trade[] = [];
  for (const w of buys) {
    const quantity = tradable(w.leg, "BUY", w.quantity);
    if (quantity) bought.push(fill(w.leg, "BUY", quantity));
  }
  const trades = [...sells, ...bought].map((t, sequence) => ({ ...t, sequence }));
  return { equity, weights, driftPct, due, trades, skipped };
}

const smaller = (a: Decimal, b: Decimal): Decimal => (a.lt(b) ? a : b);
