import type { Position, Trade } from "../account/account.ts";
import type { TradeReason } from "../account/trade-reason.ts";
import { ceilToStep, type Decimal, dec } from "../money/decimal.ts";

/** The exchange's steps for a symbol, as decimals. */
export interface MarketSteps {
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: Decimal;
  readonly stepSize: Decimal;
  readonly minQty: Decimal;
  readonly minNotional: Decimal;
}

/** Fees are rounded up to 8 decimals (the asset's precision): the exchange never undercharges. */
const FEE_STEP = dec("0.00000001");

export function feeFor(notional: Decimal, feeRate: Decimal): Decimal {
  return ceilToStep(notional.times(feeRate), FEE_STEP);
}

/** A sell of `quantity` of the position at `price`, with its realised PnL (price − entry) × qty − fee. */
export function exitFill(
  position: Position,
  quantity: Decimal,
  price: Decimal,
  reason: TradeReason,
  candleTime: number,
  sequence: number,
  quoteAsset: string,
  feeRate: Decimal,
): Trade {
  const quoteAmount = quantity.times(price);
  const fee = feeFor(quoteAmount, feeRate);
  return {
    symbol: position.symbol,
    timeframe: position.timeframe,
    side: "SELL",
    baseAsset: position.baseAsset,
    quoteAsset,
    quantity,
    price,
    quoteAmount,
    fee,
    reason,
    candleTime,
    sequence,
    realizedPnl: price.minus(position.entryPrice).times(quantity).minus(fee),
  };
}
