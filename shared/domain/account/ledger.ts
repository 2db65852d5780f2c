import { type Decimal, ZERO } from "../money/decimal.ts";
import type { Trade } from "./account.ts";

/** How a trade moves each asset's balance: a buy pays quote + fee for base; a sell the reverse. */
export function balanceMovements(trade: Trade): Record<string, Decimal> {
  const sign = trade.side === "BUY" ? 1 : -1;
  return {
    [trade.baseAsset]: trade.quantity.times(sign),
    [trade.quoteAsset]: trade.quoteAmount.times(-sign).minus(trade.fee),
  };
}

/** The sum of several trades' movements per asset. */
export function sumMovements(trades: readonly Trade[]): Record<string, Decimal> {
  const total: Record<string, Decimal> = {};
  for (const trade of trades) {
    for (const [asset, delta] of Object.entries(balanceMovements(trade))) {
      total[asset] = (total[asset] ?? ZERO).plus(delta);
    }
  }
  return total;
}
