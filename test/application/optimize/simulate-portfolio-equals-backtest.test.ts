import { describe, expect, it } from "vitest";
import { cycleConfigOf, parseSettings } from "../../../shared/adapters/config/settings.ts";
import { memoryReplayStores } from "../../../shared/adapters/memory/memory-replay-stores.ts";
import { type PortfolioPair, runPortfolio } from "../../../shared/application/backtest/run-portfolio.ts";
import {
  portfolioSchedule,
  type SimulatedPair,
  simulatePortfolio,
} from "../../../shared/application/optimize/simulate-portfolio.ts";
import { toCandleSeries } from "../../../shared/domain/market/candle-series.ts";
import { derivedCandles, filtersOf } from "../../helpers/portfolio-market.ts";
import { AGGRESSIVE_RISK } from "../../helpers/risk.ts";
import { describeTrade } from "../../helpers/trades.ts";

const FROM = Date.UTC(2025, 6, 1);
const TO = Date.UTC(2025, 9, 31, 20);
const watchlist = (maPeriod: number) => [
  { symbol: "BNBUSDT", timeframes: ["4h", "1d"], strategy: "ma-distance", params: { maPeriod } },
  { symbol: "ETHUSDT", timeframes: ["4h"], strategy: "ma-distance", params: { maPeriod } },
  {
    symbol: "SOLUSDT",
    timeframes: ["4h", "1d"],
    strategy: "ma-distance",
    params: { maPeriod: maPeriod + 10 },
  },
];

describe("the portfolio simulation (the optimizer's) equals the portfolio backtest (the cycle's), fill for fill", () => {
  it.each([
    ["two slots, no risk controls", { maxOpenPositions: 2, watchlist: watchlist(20) }],
    [
      "three slots, every protection, a trailing stop, risk sizing, slippage",
      { maxOpenPositions: 3, risk: AGGRESSIVE_RISK, watchlist: watchlist(30) },
    ],
  ])(
    "%s",
    async (_, tradingBot) => {
      const settings = parseSettings(tradingBot);
      const config = cycleConfigOf(settings);
      const pairs: PortfolioPair[] = settings.pairs.map((p) => ({
        symbol: p.symbol,
        timeframe: p.timeframe,
        candles: derivedCandles(p.symbol, p.timeframe as "4h" | "1d"),
        filters: filtersOf(p.symbol),
      }));
      const backtest = await runPortfolio({
        accountId: "paper",
        pairs,
        from: FROM,
        to: TO,
        config,
        stores: memoryReplayStores,
      });
      const simulated: SimulatedPair[] = settings.pairs.map((p, k) => ({
        ...(pairs[k] as PortfolioPair),
        series: toCandleSeries((pairs[k] as PortfolioPair).candles),
        strategy: p.strategy,
        rules: p.risk ? { ...config.rules, risk: p.risk } : config.rules,
      }));
      const schedule = portfolioSchedule(pairs, FROM, TO);
      const run = simulatePortfolio({
        pairs: simulated,
        schedule,
        initialBalance: config.initialBalance.toFixed(),
        quoteAsset: config.quoteAsset,
        window: config.window,
      });
      expect(run.trades.map((t) => describeTrade(t, 0))).toEqual(
        backtest.trades.map((t) => describeTrade(t, 0)),
      );
      expect(backtest.trades.length).toBeGreaterThan(6);
      const want = backtest.marks.map((m) => Number(m.equity.toFixed(8)));
      const firstDiff = want.findIndex((w, i) => w !== run.equity[i]);
      expect(firstDiff, `${firstDiff}: ${run.equity[firstDiff]} vs ${want[firstDiff]}`).toBe(-1);
      expect(schedule.closes.length).toBe(backtest.marks.length);
    },
    120_000,
  );
});
