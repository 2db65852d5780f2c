import { TradingBotError } from "../../domain/errors.ts";
import { closeTimeOf } from "../../domain/market/timeframe.ts";
import { type Decimal, dec } from "../../domain/money/decimal.ts";
import { type Basket, candlesNeeded } from "../../domain/rebalance/basket.ts";
import type { LegQuote } from "../../domain/rebalance/orders.ts";
import { targetWeights, WeightingError } from "../../domain/rebalance/weights.ts";
import { CandleMismatchError, InvalidRequestError, marketSteps } from "../cycle/index.ts";
import type { MarketData } from "../ports/market-data.ts";

/** A leg cannot trade at this time (not served, not trading, weights not measurable): nothing of the rebalance does. */
export class RebalanceWaitsError extends TradingBotError {
  override readonly name: string = "RebalanceWaitsError";
  readonly retryable = true;
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * Every leg at the rebalance's close: the closed candle of that time (its close is the leg's
 * price), the symbol's exchange steps, and the targets (inverse-volatility reads its look-back).
 * A leg not served, of another quote asset or not trading stops the whole rebalance: nothing partial.
 */
export async function readLegs(
  market: MarketData,
  basket: Basket,
  candleTime: number,
  quoteAsset: string,
): Promise<{ legs: LegQuote[]; targets: Map<string, Decimal> }> {
  const close = closeTimeOf(candleTime, basket.timeframe);
  const legs: LegQuote[] = [];
  const closes = new Map<string, number[]>();
  const count = candlesNeeded(basket);
  for (const symbol of basket.symbols) {
    const batch = await market.closedCandles({ symbol, timeframe: basket.timeframe, count, closedBy: close });
    const last = batch.candles.at(-1);
    if (!last || last.openTime !== candleTime)
      throw new CandleMismatchError(
        `${symbol}: the ${basket.timeframe} candle of ${iso(candleTime)} is not served (the last is ${last ? iso(last.openTime) : "none"}); the whole rebalance waits, no leg trades`,
      );
    const filters = await market.symbolFilters(symbol);
    if (filters.quoteAsset !== quoteAsset)
      throw new InvalidRequestError(
        `${symbol} is quoted in ${filters.quoteAsset}, the account in ${quoteAsset}`,
      );
    if (filters.status !== "TRADING")
      throw new RebalanceWaitsError(
        `${symbol} is not trading on Binance (status ${filters.status}); the whole rebalance waits, no leg trades`,
      );
    legs.push({ symbol, price: dec(last.close), steps: marketSteps(filters) });
    closes.set(
      symbol,
      batch.candles.map((c) => c.close),
    );
  }
  try {
    return { legs, targets: targetWeights(basket, closes) };
  } catch (error) {
    if (error instanceof WeightingError)
      throw new RebalanceWaitsError(`${error.message}; the rebalance waits`);
    throw error;
  }
}
