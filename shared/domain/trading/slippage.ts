import { ceilToStep, type Decimal, floorToStep } from "../money/decimal.ts";

const BASIS_POINTS = 10_000;

/**
 * A market-like fill's price after `bps` basis points of slippage against the trader, on the
 * tick the pessimistic way: a buy pays more (rounded up), a sell gets less (rounded down).
 * Zero slippage leaves the price exactly as it was.
 */
export function slipped(price: Decimal, side: "BUY" | "SELL", bps: Decimal, tick: Decimal): Decimal {
  if (bps.eq(0)) return price;
  const move = price.times(bps).div(BASIS_POINTS);
  return side === "BUY" ? ceilToStep(price.plus(move), tick) : floorToStep(price.minus(move), tick);
}
