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
 * take-profit 2 (sell the rest), else take-profit 1 once (sell its fraction, and move the stop
 * to entry when the position says so). An exit the position does not have is skipped.
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
    const { stopLoss, takeProfit1, takeProfit2 } = current;
    if (stopLoss && dec(candle.low).lte(stopLoss)) {
      trades.push(sell(current.quantity, open.lt(stopLoss) ? open : stopLoss, "stop"));
      return { trades, position: undefined };
    }
    if (takeProfit2 && dec(candle.high).gte(takeProfit2)) {
      trades.push(sell(current.quantity, takeProfit2, "tp2"));
      return { trades, position: undefined };
    }
    if (takeProfit1 && !current.tp1Taken && dec(candle.high).gte(takeProfit1)) {
      const part = floorToStep(current.quantity.times(current.tp1Fraction), steps.stepSize);
      const quantity = part.gt(0) && part.gte(steps.minQty) ? part : current.quantity;
      trades.push(sell(quantity, takeProfit1, "tp1"));
      const rest = current.quantity.minus(quantity);
      if (rest.eq(0)) return { trades, position: undefined };
      const stop = current.stopToEntryAfterTp1 ? current.entryPrice : current.stopLoss;
      current = { ...evaluated, quantity: rest, tp1Taken: true, stopLoss: stop };
      continue;
    }
    current = evaluated;
  }
  return { trades, position: current };
}
