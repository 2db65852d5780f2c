import type { Candle } from "../../domain/market/candle.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { AccountRepository, AlertOutbox } from "./account-repository.ts";
import type { MarketData, SymbolFilters } from "./market-data.ts";

/** Market data answering from candles in hand, whose filters a replay sets per cycle. */
export interface ReplayMarket extends MarketData {
  setFilters(symbol: string, filters: SymbolFilters): void;
}

/**
 * What a replay (the backtest, `npm run report`) runs the cycle on: a fresh account store and
 * market data from candles in hand. The adapters provide them (in memory); the use cases never
 * build one themselves.
 */
export interface ReplayStores {
  /** A fresh account with its outbox (one object: the commit queues the alerts it tells of). */
  newRepository(): AccountRepository & AlertOutbox;
  newMarket(
    pairs: readonly {
      readonly symbol: string;
      readonly timeframe: Timeframe;
      readonly candles: readonly Candle[];
      readonly filters: SymbolFilters;
    }[],
  ): ReplayMarket;
}
