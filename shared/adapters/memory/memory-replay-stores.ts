import type { ReplayStores } from "../../application/ports/replay-stores.ts";
import { InMemoryAccountRepository } from "./in-memory-account-repository.ts";
import { PairsMarketData } from "./pairs-market-data.ts";

/** Replays in memory: a fresh account per replay, each pair's candles and filters in hand. */
export const memoryReplayStores: ReplayStores = {
  newAccount() {
    const account = new InMemoryAccountRepository();
    return { repository: account, history: account, outbox: account };
  },
  newMarket(pairs) {
    const market = new PairsMarketData();
    for (const p of pairs) market.add(p.symbol, p.timeframe, p.candles, p.filters);
    return market;
  },
};
