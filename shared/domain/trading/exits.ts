import type { Position, Trade } from "../account/account.ts";
import type { Candle } from "../market/candle.ts";
import { type Decimal, dec, floorToStep, ZERO } from "../money/decimal.ts";
import { exitFill, type MarketSteps } from "./fills.ts";
import { slipped } from "./slippage.ts";

export interface ExitOutcome {
  readonly trades: Trade[];
  /** The position after the exits; undefined once everything is sold. */
  readonly position: Position | undefined;
}

/**
 * Checks an open position against every closed candle after the last one it was checked on,
 * oldest first, so a missed cycle never skips a stop. Per candle, the pessimistic order:
 * the stop (sell all at the stop, or at the open when the candle opened below it; slipped by
 * `slippageBps`), else take-profit 2 (sell the rest), else take-profit 1 once (sell its
 * fraction, and move the stop up to entry when the position says so); then the candle's close
 * moves a trailing stop (from the next candle on). An exit the position does not have is skipped.
 */
export function evaluateExits(
  position: Position,
  candles: readonly Candle[],
  steps: MarketSteps,
  feeRate: Decimal,
  firstSequence = 0,
  slippageBps: Decimal = ZERO,
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
    const close = dec(candle.close);
    const evaluated = { ...current, lastEvaluated: candle.openTime, markPrice: close };
    const { stopLoss, takeProfit1, takeProfit2 } = current;
    if (stopLoss && dec(candle.low).lte(stopLoss)) {
      const price = slipped(open.lt(stopLoss) ? open : stopLoss, "SELL", slippageBps, steps.tickSize);
      trades.push(sell(current.quantity, price, current.trailing?.raised ? "trailing-stop" : "stop"));
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
      // The stop moves up to the entry, never down (a trailing stop may be above it already).
      const toEntry =
        current.stopToEntryAfterTp1 && (!current.stopLoss || current.entryPrice.gt(current.stopLoss));
      const stop = toEntry ? current.entryPrice : current.stopLoss;
      const trailing =
        toEntry && current.trailing ? { ...current.trailing, raised: false } : current.trailing;
      current = trail(
        { ...evaluated, quantity: rest, tp1Taken: true, stopLoss: stop, trailing },
        close,
        steps,
      );
      continue;
    }
    current = trail(evaluated, close, steps);
  }
  return { trades, position: current };
}

/** A close at or above the activation moves the trailing stop up to `distance` below the highest close (rounded down to the tick); never down. */
function trail(position: Position, close: Decimal, steps: MarketSteps): Position {
  const { trailing } = position;
  if (!trailing || close.lt(trailing.activation)) return position;
  const highest = trailing.highestClose?.gt(close) ? trailing.highestClose : close;
  const level = floorToStep(highest.times(dec(1).minus(trailing.distance)), steps.tickSize);
  if (position.stopLoss && level.lte(position.stopLoss))
    return { ...position, trailing: { ...trailing, highestClose: highest } };
  return { ...position, stopLoss: level, trailing: { ...trailing, highestClose: highest, raised: true } };
}
