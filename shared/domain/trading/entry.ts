import type { Position, Trade } from "../account/account.ts";
import type { Candle } from "../market/candle.ts";
import type { Timeframe } from "../market/timeframe.ts";
import { ceilToStep, type Decimal, dec, floorToStep, ZERO } from "../money/decimal.ts";
import type { EntryPlan } from "./entry-plan.ts";
import { feeFor, type MarketSteps } from "./fills.ts";
import { slipped } from "./slippage.ts";
import { stakeFraction, type TradingRules } from "./trading-rules.ts";

export interface EntryInput {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candle: Candle;
  readonly plan: EntryPlan;
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
 * Sizes a BUY: the plan's size (default a fraction of equity per timeframe), capped by the free
 * quote (fee included), rounded down to the lot step; skipped, with the reason, below the minimum
 * notional, when the pair's position is open (unless the plan adds to it), or when the account
 * holds its maximum of open positions.
 */
export function decideEntry(input: EntryInput): EntryDecision {
  const { symbol, timeframe, candle, plan, freeQuote, positions, steps, rules } = input;
  const held = positions.find((p) => p.symbol === symbol && p.timeframe === timeframe);
  if (held && !plan.addToPosition) {
    return { kind: "skip", reason: `a ${symbol} ${timeframe} position is open already` };
  }
  if (!held && positions.length >= rules.maxOpenPositions) {
    return {
      kind: "skip",
      reason: `the account holds its maximum of ${rules.maxOpenPositions} open positions`,
    };
  }
  const close = dec(candle.close);
  const price = slipped(close, "BUY", rules.risk.slippageBps, steps.tickSize);
  const equity = equityOf(freeQuote, positions, symbol, close);
  const levels = exitLevels(plan, steps.tickSize);
  const stake = stakeOf(plan, rules, timeframe, equity, price, levels.stopLoss);
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
    // The cash, not the stake, fell short: the other positions hold the rest of the equity.
    const cashShort = affordable.lt(stake) && stake.div(price).gte(steps.minQty) && stake.gte(floor);
    return {
      kind: "skip",
      reason: cashShort
        ? `not enough cash: ${freeQuote.toFixed(2)} ${steps.quoteAsset} free buys ${notional.toFixed(2)} ${steps.quoteAsset}, below the minimum notional of ${floor.toFixed()} ${steps.quoteAsset}`
        : `the stake of ${notional.toFixed(2)} ${steps.quoteAsset} is below the minimum notional of ${floor.toFixed()} ${steps.quoteAsset}`,
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
  if (held) return { kind: "open", trade, position: addedTo(held, quantity, price, candle.openTime) };
  const position: Position = {
    symbol,
    timeframe,
    baseAsset: steps.baseAsset,
    quantity,
    entryPrice: price,
    entryTime: candle.openTime,
    ...levels,
    ...trailingOf(rules, price),
    tp1Taken: false,
    lastEvaluated: candle.openTime,
    markPrice: price,
    version: 0,
  };
  return { kind: "open", trade, position };
}

/**
 * What an entry spends: the plan's own size, else the timeframe's stake fraction of equity; with
 * risk-based sizing and a stop below the price, the amount that loses `riskPerTradePct` % of
 * equity at the stop, never more than the stake fraction.
 */
function stakeOf(
  plan: EntryPlan,
  rules: TradingRules,
  timeframe: Timeframe,
  equity: Decimal,
  price: Decimal,
  stop: Decimal | undefined,
): Decimal {
  const size = plan.size;
  if (size && "quoteAmount" in size) return dec(size.quoteAmount);
  const stake = equity.times(size ? dec(size.equityFraction) : stakeFraction(rules, timeframe));
  const risk = rules.risk.riskPerTradePct;
  if (size || !risk || !stop || stop.gte(price)) return stake;
  const atRisk = equity.times(risk).div(100);
  const sized = atRisk.div(price.minus(stop)).times(price);
  return sized.lt(stake) ? sized : stake;
}

/** The account's trailing stop on a new position: it starts once a close is `activationPct` % above the entry. */
function trailingOf(rules: TradingRules, entry: Decimal) {
  const trailing = rules.risk.trailingStop;
  if (!trailing) return {};
  return {
    trailing: {
      activation: entry.times(trailing.activationPct.plus(100)).div(100),
      distance: trailing.distancePct.div(100),
      raised: false,
    },
  };
}

/** The plan's exits on the position, rounded to the tick the pessimistic way: the stop lower, the targets higher. */
function exitLevels(plan: EntryPlan, tick: Decimal) {
  const [first, second] = plan.targets;
  const partial = first && first.fraction < 1 ? first : undefined;
  const last = partial ? second : first;
  return {
    stopLoss: plan.stopLoss === undefined ? undefined : floorToStep(dec(plan.stopLoss), tick),
    takeProfit1: partial ? ceilToStep(dec(partial.price), tick) : undefined,
    tp1Fraction: dec(partial?.fraction ?? 1),
    takeProfit2: last ? ceilToStep(dec(last.price), tick) : undefined,
    stopToEntryAfterTp1: plan.stopToEntryAfterFirstTarget,
  };
}

/** More of an open position: the entry becomes the quantity-weighted average (8 decimals, half up). */
function addedTo(held: Position, quantity: Decimal, price: Decimal, candleTime: number): Position {
  const total = held.quantity.plus(quantity);
  const average = held.quantity
    .times(held.entryPrice)
    .plus(quantity.times(price))
    .div(total)
    .round(8, "halfUp");
  return { ...held, quantity: total, entryPrice: average, lastEvaluated: candleTime, markPrice: price };
}
