import type { Position, Trade } from "../account/account.ts";
import type { Candle } from "../market/candle.ts";
import { type Decimal, dec, floorToStep } from "../money/decimal.ts";
import { exitFill, type MarketSteps } from "./fills.ts";

export interface ExitOutcome {
  readonly trades: Trade[];
  /** The position after the exits; undefined once everything is sold. */
  readonly position: Position | undefined;
}

/**
 * Checks an open position against every closed candle after the last one it was checked on,
 * oldest first, so a missed cycle never skips a stop. Per candle, the pessimistic order:
 * the stop (sell all at the stop, or at the open when the candle opened below it), else
 * take-profit 2 (sell the rest), else take-profit 1 once (sell half, move the stop to entry).
 */
export function evaluateExits(
  position: Position,
  candles: readonly Candle[],
  steps: MarketSteps,
  feeRate: Decimal,
  firstSequence = 0,
): ExitOutcome {
  const trades: Trade[] = [];
  let current: Position = position;
  for (const candle of candles) {
    if (candle.openTime <= current.lastEvaluated) continue;
    const sell = (quantity: Decimal, price: Decimal, reason: Trade["reason"]) =>
      exitFill(
        current,
        quantity,
        price,
        reason,
        candle.openTime,
        firstSequence + trades.length,
        steps.quoteAsset,
        feeRate,
      );
    const open = dec(candle.open);
    const evaluated = { ...current, lastEvaluated: candle.openTime, markPrice: dec(candle.close) };
    if (dec(candle.low).lte(current.stopLoss)) {
      trades.push(sell(current.quantity, open.lt(current.stopLoss) ? open : current.stopLoss, "stop"));
      return { trades, position: undefined };
    }
    if (dec(candle.high).gte(current.takeProfit2)) {
      trades.push(sell(current.quantity, current.takeProfit2, "tp2"));
      return { trades, position: undefined };
    }
    if (!current.tp1Taken && dec(candle.high).gte(current.takeProfit1)) {
      const half = floorToStep(current.quantity.div(2), steps.stepSize);
      const quantity = half.gt(0) && half.gte(steps.minQty) ? half : current.quantity;
      trades.push(sell(quantity, current.takeProfit1, "tp1"));
      const rest = current.quantity.minus(quantity);
      if (rest.eq(0)) return { trades, position: undefined };
      current = { ...evaluated, quantity: rest, tp1Taken: true, stopLoss: current.entryPrice };
      continue;
    }
    current = evaluated;
  }
  return { trades, position: current };
}
