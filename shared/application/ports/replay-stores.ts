import type { Candle } from "../../domain/market/candle.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { AccountHistory, AccountStore } from "./account-repository.ts";
import type { AlertSender } from "./alert-outbox.ts";
import type { MarketData, SymbolFilters } from "./market-data.ts";

/** Market data answering from candles in hand, whose filters a replay sets per cycle. */
export interface ReplayMarket extends MarketData {
  setFilters(symbol: string, filters: SymbolFilters): void;
}

/** One replayed account, each face for its user (in memory, one object behind all three). */
export interface ReplayAccount {
  readonly repository: AccountStore;
  readonly history: AccountHistory;
  readonly outbox: AlertSender;
}

/**
 * What a replay (the backtest, `npm run report`) runs the cycle on: a fresh account store and
 * market data from candles in hand. The adapters provide them (in memory); the use cases never
 * build one themselves.
 */
export interface ReplayStores {
  /** A fresh account: what the cycle writes, what the replay reads back, and its outbox. */
  newAccount(): ReplayAccount;
  newMarket(
    pairs: readonly {
      readonly symbol: string;
      readonly timeframe: Timeframe;
      readonly candles: readonly Candle[];
      readonly filters: SymbolFilters;
    }[],
  ): ReplayMarket;
}
