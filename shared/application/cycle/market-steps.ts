import { dec, stepPlaces } from "../../domain/money/decimal.ts";
import type { MarketSteps } from "../../domain/trading/fills.ts";
import type { Precision } from "../alerts/alert-messages.ts";
import type { SymbolFilters } from "../ports/market-data.ts";

/** Binance's finest precision, for a filter it reports as disabled (a step of 0). */
const FINEST_STEP = "0.00000001";
export const step = (value: string) => (dec(value).eq(0) ? FINEST_STEP : value);

export function marketSteps(filters: SymbolFilters): MarketSteps {
  return {
    baseAsset: filters.baseAsset,
    quoteAsset: filters.quoteAsset,
    tickSize: dec(step(filters.tickSize)),
    stepSize: dec(step(filters.stepSize)),
    minQty: dec(filters.minQty),
    minNotional: dec(filters.minNotional),
  };
}

/** Decimals to print prices and quantities with: the tick's and the lot step's. */
export function precisionOf(filters: SymbolFilters): Precision {
  return { price: stepPlaces(step(filters.tickSize)), quantity: stepPlaces(step(filters.stepSize)) };
}
