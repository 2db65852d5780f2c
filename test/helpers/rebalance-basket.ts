import { BNBUSDT_FILTERS } from "../../cli/backtest/backtest-data.ts";
import { InMemoryAccountRepository } from "../../shared/adapters/memory/in-memory-account-repository.ts";
import { PairsMarketData } from "../../shared/adapters/memory/pairs-market-data.ts";
import type { PortfolioPair } from "../../shared/application/backtest/run-portfolio.ts";
import { silentLogger } from "../../shared/application/ports/logger.ts";
import type { SymbolFilters } from "../../shared/application/ports/market-data.ts";
import { Rebalancer } from "../../shared/application/rebalance/rebalancer.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import type { Basket } from "../../shared/domain/rebalance/basket.ts";
import { fixtureCandles } from "./fixtures.ts";

export const BNB: SymbolFilters = BNBUSDT_FILTERS;
export const ETH: SymbolFilters = {
  ...BNB,
  symbol: "ETHUSDT",
  baseAsset: "ETH",
  stepSize: "0.0001",
  minQty: "0.0001",
};

/**
 * Two legs over the fixture's daily candles: BNBUSDT as Binance served it, and a stand-in
 * "ETHUSDT" that moves against it (close 200,000 / BNB's close): the weights drift both ways.
 */
export function twoLegs(): PortfolioPair[] {
  const bnb = fixtureCandles("BNBUSDT-1d");
  const mirror = (c: Candle): Candle => {
    const close = Math.round((200_000 / c.close) * 100) / 100;
    return { ...c, open: close, high: close, low: close, close };
  };
  return [
    { symbol: "BNBUSDT", timeframe: "1d", candles: bnb, filters: BNB },
    { symbol: "ETHUSDT", timeframe: "1d", candles: bnb.map(mirror), filters: ETH },
  ];
}

export function basket(overrides: Partial<Basket> = {}): Basket {
  return {
    accountId: "basket",
    symbols: ["BNBUSDT", "ETHUSDT"],
    weighting: "fixed",
    weights: { BNBUSDT: dec(40), ETHUSDT: dec(30), cash: dec(30) },
    cashPct: dec(30),
    lookbackDays: 0,
    timeframe: "1d",
    every: 1,
    hourUtc: 0,
    bandPct: dec(0),
    initialBalance: dec(10_000),
    feeRate: dec("0.001"),
    slippageBps: dec(0),
    ...overrides,
  };
}

/** A live Rebalancer on an in-memory account over these legs, at `clock.now`; what it published and counted. */
export function rebalancerOn(pairs: readonly PortfolioPair[], b: Basket, clock: { now: number }) {
  const repository = new InMemoryAccountRepository();
  const market = new PairsMarketData();
  for (const p of pairs) market.add(p.symbol, p.timeframe, p.candles, p.filters);
  const published: string[] = [];
  // The metrics it counts, by name: a rebalance is counted as a cycle.
  const counted: Record<string, number> = {};
  const metrics = {
    add(name: string, _unit: string, value: number) {
      counted[name] = (counted[name] ?? 0) + value;
    },
  };
  const rebalancer = new Rebalancer({
    market,
    repository,
    outbox: repository,
    alerts: { publish: async (a) => void published.push(a.subject) },
    logger: silentLogger,
    metrics,
    now: () => clock.now,
    baskets: [b],
    quoteAsset: "USDT",
    maxEventDelayMs: 2 * 3_600_000,
  });
  return { rebalancer, repository, published, counted };
}
