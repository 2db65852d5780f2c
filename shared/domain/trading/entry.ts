import type { Position, Trade } from "../account/account.ts";
import type { Candle } from "../market/candle.ts";
import type { Timeframe } from "../market/timeframe.ts";
import { ceilToStep, type Decimal, dec, floorToStep, ZERO } from "../money/decimal.ts";
import type { TradePlan } from "../strategy/signal.ts";
import { feeFor, type MarketSteps } from "./fills.ts";
import { stakeFraction, type TradingRules } from "./trading-rules.ts";

export interface EntryInput {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candle: Candle;
  readonly plan: TradePlan;
  /** Free quote balance after this cycle's exits. */
  readonly freeQuote: Decimal;
  /** Every open position of the account after this cycle's exits (all pairs). */
  readonly positions: readonly Position[];
  readonly steps: MarketSteps;
  readonly rules: TradingRules;
  readonly sequence: number;
}

export type EntryDecision =
  | { readonly kind: "open"; readonly trade: Trade; readonly position: Position }
  | { readonly kind: "skip"; readonly reason: string };

/** Equity: free quote plus every position at its last known price (this symbol's at the close). */
export function equityOf(
  freeQuote: Decimal,
  positions: readonly Position[],
  symbol: string,
  close: Decimal,
): Decimal {
  return positions.reduce(
    (sum, p) => sum.plus(p.quantity.times(p.symbol === symbol ? close : p.markPrice)),
    freeQuote,
  );
}

/**
 * Sizes a BUY: a fraction of equity per timeframe, capped by the free quote (fee included),
 * rounded down to the lot step; skipped, with the reason, below the minimum notional or when
 * the account holds its maximum of open positions.
 */
export function decideEntry(input: EntryInput): EntryDecision {
  const { symbol, timeframe, candle, plan, freeQuote, positions, steps, rules } = input;
  if (positions.some((p) => p.symbol === symbol && p.timeframe === timeframe)) {
    return { kind: "skip", reason: `a ${symbol} ${timeframe} position is open already` };
  }
  if (positions.length >= rules.maxOpenPositions) {
    return {
      kind: "skip",
      reason: `the account holds its maximum of ${rules.maxOpenPositions} open positions`,
    };
  }
  const price = dec(candle.close);
  const equity = equityOf(freeQuote, positions, symbol, price);
  const stake = equity.times(stakeFraction(rules, timeframe));
  const affordable = freeQuote.gt(ZERO) ? freeQuote.div(rules.feeRate.plus(1)) : ZERO;
  let quantity = floorToStep((stake.lt(affordable) ? stake : affordable).div(price), steps.stepSize);
  // The fee is rounded up: step down once if that pushed the cost past the free balance.
  if (
    quantity
      .times(price)
      .plus(feeFor(quantity.times(price), rules.feeRate))
      .gt(freeQuote)
  ) {
    quantity = quantity.minus(steps.stepSize);
  }
  const notional = quantity.times(price);
  const floor = steps.minNotional.gt(rules.minNotional) ? steps.minNotional : rules.minNotional;
  if (quantity.lte(ZERO) || quantity.lt(steps.minQty) || notional.lt(floor)) {
    return {
      kind: "skip",
      reason: `the stake of ${notional.toFixed(2)} ${steps.quoteAsset} is below the minimum notional of ${floor.toFixed()} ${steps.quoteAsset}`,
    };
  }
  const trade: Trade = {
    symbol,
    timeframe,
    side: "BUY",
    baseAsset: steps.baseAsset,
    quoteAsset: steps.quoteAsset,
    quantity,
    price,
    quoteAmount: notional,
    fee: feeFor(notional, rules.feeRate),
    reason: "entry",
    candleTime: candle.openTime,
    sequence: input.sequence,
  };
  const position: Position = {
    symbol,
    timeframe,
    baseAsset: steps.baseAsset,
    quantity,
    entryPrice: price,
    entryTime: candle.openTime,
    // Rounded to the tick the pessimistic way: the stop lower, the targets higher.
    stopLoss: floorToStep(dec(plan.stopLoss), steps.tickSize),
    takeProfit1: ceilToStep(dec(plan.takeProfit1), steps.tickSize),
    takeProfit2: ceilToStep(dec(plan.takeProfit2), steps.tickSize),
    tp1Taken: false,
    lastEvaluated: candle.openTime,
    markPrice: price,
    version: 0,
  };
  return { kind: "open", trade, position };
}
