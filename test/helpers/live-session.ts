import { BinanceUnavailableError } from "../../shared/adapters/binance/binance-errors.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { InMemoryAccountRepository } from "../../shared/adapters/memory/in-memory-account-repository.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { PairsMarketData } from "../../shared/adapters/memory/pairs-market-data.ts";
import { allPages } from "../../shared/application/all-pages.ts";
import { type CycleConfig, cycleSettings, TradingCycle } from "../../shared/application/cycle/index.ts";
import type { CycleRecord, StoredTrade } from "../../shared/application/ports/account-repository.ts";
import { silentLogger } from "../../shared/application/ports/logger.ts";
import type { CandleBatch, SymbolFilters } from "../../shared/application/ports/market-data.ts";
import { noMetrics } from "../../shared/application/ports/metrics.ts";
import { pairKey, type ReplayPair } from "../../shared/application/report/account-replay.ts";
import { compareLive, type LiveComparison } from "../../shared/application/report/live-report.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { strategyNamed } from "../../shared/domain/strategies/registry.ts";
import { NO_RISK_CONTROLS, type RiskSettings } from "../../shared/domain/trading/risk-settings.ts";
import { closeOf, HOUR, hourlyCandles } from "./hourly-market.ts";
import { runEvent } from "./run-event.ts";

/** Binance's filters of a 1h test market, with its base asset. */
export const filtersOf = (symbol: string): SymbolFilters => ({
  symbol,
  status: "TRADING",
  baseAsset: symbol.replace(/USDT$/, ""),
  quoteAsset: "USDT",
  tickSize: "0.01",
  stepSize: "0.001",
  minQty: "0.001",
  minNotional: "5",
});

/** The real 4h candles as 1h: BNBUSDT as they are, the others shifted by `offset` candles and scaled. */
export function marketCandles(offset: number, scale: number): Candle[] {
  return hourlyCandles.map((c, i) => {
    const s = hourlyCandles[(i + offset) % hourlyCandles.length] as Candle;
    return {
      openTime: c.openTime,
      open: s.open * scale,
      high: s.high * scale,
      low: s.low * scale,
      close: s.close * scale,
      volume: s.volume,
    };
  });
}

export const MARKETS: Record<string, Candle[]> = {
  BNBUSDT: hourlyCandles,
  ETHUSDT: marketCandles(200, 3),
  XRPUSDT: marketCandles(410, 0.01),
};

/** Settings of one live stretch: the pairs it runs, the strategy's parameters, the 1h stake. */
export interface Stretch {
  readonly symbols: readonly string[];
  readonly params: Readonly<Record<string, number>>;
  readonly stake: string;
  /** Protections, trailing stop, sizing and slippage (default: none). */
  readonly risk?: RiskSettings;
}

/** A strategy that trades every few closes on these candles. */
export const ACTIVE = { maPeriod: 5, buyThreshold: -0.8, sellThreshold: 0.8, stopLossPct: 1.5 };

/**
 * Live sessions of the local runner's cycle at the application level: the real TradingCycle with
 * its basis recorded, an in-memory account, market data in hand, each close's pairs one after the
 * other in watchlist order. Faults: a close skipped (the runner was down), Binance failing at one
 * pair's close; the report's view is the same account with Binance's candles as served now.
 */
export class LiveSession {
  readonly repository = new InMemoryAccountRepository();
  readonly #market = new PairsMarketData();
  readonly #failing = new Set<string>();
  #stretch: Stretch = { symbols: ["BNBUSDT"], params: ACTIVE, stake: "0.05" };

  constructor() {
    for (const [symbol, candles] of Object.entries(MARKETS))
      this.#market.add(symbol, "1h", candles, filtersOf(symbol));
  }

  configure(stretch: Stretch): this {
    this.#stretch = stretch;
    return this;
  }

  /** Binance answers 503 for this pair's candles at close `i`. */
  failAt(symbol: string, i: number): this {
    this.#failing.add(`${symbol}|${i}`);
    return this;
  }

  #config(): CycleConfig {
    const strategy = strategyNamed("ma-distance", this.#stretch.params);
    return {
      ...DEFAULT_CYCLE_CONFIG,
      strategy,
      rules: {
        ...DEFAULT_CYCLE_CONFIG.rules,
        stakeFractions: { "1h": dec(this.#stretch.stake) },
        risk: this.#stretch.risk ?? NO_RISK_CONTROLS,
      },
      watchlist: this.#stretch.symbols.map((symbol) => ({
        symbol,
        timeframe: "1h" as const,
        strategy,
        accountId: "paper",
        mode: "trade" as const,
      })),
    };
  }

  /**
   * The cycles of closes `from` to `to` (candle indices), every pair of the current stretch, in
   * the watchlist's order, or (`reversed`) the other way round, as live's racing cycles may commit.
   */
  async run(from: number, to: number, options: { reversed?: boolean } = {}): Promise<string[]> {
    const statuses: string[] = [];
    let now = 0;
    const market = this.#market;
    const failing = this.#failing;
    let closing = 0;
    const faulty = {
      closedCandles: async (r: Parameters<PairsMarketData["closedCandles"]>[0]): Promise<CandleBatch> => {
        if (failing.has(`${r.symbol}|${closing}`))
          throw new BinanceUnavailableError("503 Service Unavailable");
        return market.closedCandles(r);
      },
      candleRange: (r: Parameters<PairsMarketData["candleRange"]>[0]) => market.candleRange(r),
      symbolFilters: (s: string) => market.symbolFilters(s),
    };
    const cycle = new TradingCycle({
      market: faulty,
      repository: this.repository,
      outbox: this.repository,
      alerts: { publish: async () => {} },
      metrics: noMetrics,
      logger: silentLogger,
      now: () => now,
      config: this.#config(),
    });
    for (let i = from; i <= to; i++) {
      closing = i;
      now = closeOf(i) + 2_000;
      const order = options.reversed ? [...this.#stretch.symbols].reverse() : this.#stretch.symbols;
      for (const symbol of order) {
        now += 1; // as live, each cycle of a close commits a moment after the one before
        const result = await runEvent(cycle, {
          symbol,
          timeframe: "1h",
          scheduledTime: new Date(closeOf(i)).toISOString(),
        });
        statuses.push(result.status);
      }
    }
    return statuses;
  }

  /** What `npm run report` reads, then its comparison; `serve` changes the candles Binance serves now. */
  async report(
    options: {
      serve?: (symbol: string, candles: Candle[]) => Candle[];
      editTrades?: (trades: StoredTrade[]) => StoredTrade[];
      dropRecord?: (record: CycleRecord) => boolean;
    } = {},
  ): Promise<LiveComparison> {
    const { repository } = this;
    const state = await repository.loadState("paper");
    if (!state) throw new Error("no account");
    const trades = (
      await allPages((cursor) => repository.listTrades("paper", cursor ? { cursor } : {}))
    ).reverse();
    const records = new Map<string, Map<number, CycleRecord>>();
    for (const symbol of Object.keys(MARKETS)) {
      const history = await allPages((cursor) =>
        repository.cycleHistory("paper", symbol, "1h", cursor ? { cursor } : {}),
      );
      const kept = history.filter((r) => !options.dropRecord?.(r));
      if (kept.length) records.set(`${symbol} 1h`, new Map(kept.map((r) => [r.candleTime, r])));
    }
    const pairs: ReplayPair[] = [...records.entries()].map(([key, byTime]) => {
      const symbol = key.split(" ")[0] as string;
      const times = [...byTime.keys()];
      const candles = MARKETS[symbol] as Candle[];
      return {
        symbol,
        timeframe: "1h",
        candles: options.serve ? options.serve(symbol, candles) : candles,
        filters: filtersOf(symbol),
        filtersUsed: [],
        from: Math.min(...times),
        to: Math.max(...times),
      };
    });
    const config = this.#config();
    return compareLive({
      stores: memoryReplayStores,
      state,
      trades: options.editTrades ? options.editTrades(trades) : trades,
      records,
      notes: await repository.cycleNotes("paper"),
      pairs: pairs.sort(
        (a, b) => Object.keys(MARKETS).indexOf(a.symbol) - Object.keys(MARKETS).indexOf(b.symbol),
      ),
      fallbackSettings: () => cycleSettings(config.strategy, config, "1h"),
      config,
      resolveStrategy: strategyNamed,
    });
  }
}

/** The kinds of cause a comparison gives: its events' and its findings'. */
export function causeKinds(c: LiveComparison): string[] {
  return [...new Set([...c.events.map((e) => e.kind), ...c.fidelity.findings.map((f) => f.kind)])].sort();
}

export { closeOf, HOUR, pairKey };
