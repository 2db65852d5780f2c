import { describe, expect, it } from "vitest";
import { BNBUSDT_FILTERS } from "../../../cli/backtest/backtest-data.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../../shared/adapters/config/default-cycle-config.ts";
import { memoryReplayStores } from "../../../shared/adapters/memory/memory-replay-stores.ts";
import { runBacktest } from "../../../shared/application/backtest/run-backtest.ts";
import type { CycleConfig } from "../../../shared/application/cycle/index.ts";
import { parseAxis, samples } from "../../../shared/application/optimize/search-space.ts";
import { simulate } from "../../../shared/application/optimize/simulate.ts";
import type { Trade } from "../../../shared/domain/account/account.ts";
import type { Candle } from "../../../shared/domain/market/candle.ts";
import { toCandleSeries } from "../../../shared/domain/market/candle-series.ts";
import type { Timeframe } from "../../../shared/domain/market/timeframe.ts";
import { configureStrategy } from "../../../shared/domain/strategies/configure.ts";
import { STRATEGIES } from "../../../shared/domain/strategies/registry.ts";
import type { ConfiguredStrategy } from "../../../shared/domain/strategies/strategy.ts";
import { parseRiskSettings } from "../../../shared/domain/trading/risk-config.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";
import { AGGRESSIVE_RISK } from "../../helpers/risk.ts";

const fill = (t: Trade) =>
  `${t.candleTime} ${t.side} ${t.reason} ${t.quantity.toFixed()} @ ${t.price.toFixed()} fee ${t.fee.toFixed()} pnl ${t.realizedPnl?.toFixed() ?? ""}`;

async function both(
  candles: Candle[],
  timeframe: Timeframe,
  strategy: ConfiguredStrategy,
  config: CycleConfig,
) {
  const cycleConfig = { ...config, strategy };
  const backtest = await runBacktest({
    stores: memoryReplayStores,
    symbol: "BNBUSDT",
    timeframe,
    candles,
    firstIndex: 299,
    filters: BNBUSDT_FILTERS,
    config: cycleConfig,
  });
  const fast = simulate({
    symbol: "BNBUSDT",
    timeframe,
    candles,
    series: toCandleSeries(candles),
    firstIndex: 299,
    end: candles.length,
    filters: BNBUSDT_FILTERS,
    config: cycleConfig,
    strategy,
  });
  return {
    backtest: { fills: backtest.trades.map(fill), equity: backtest.steps.map((s) => s.equity) },
    fast: { fills: fast.trades.map(fill), equity: [...fast.equity] },
  };
}

const RISKY: CycleConfig = {
  ...DEFAULT_CYCLE_CONFIG,
  rules: {
    ...DEFAULT_CYCLE_CONFIG.rules,
    stakeFractions: { "4h": DEFAULT_CYCLE_CONFIG.rules.defaultStakeFraction.times(4) },
    risk: parseRiskSettings(AGGRESSIVE_RISK, "the test"),
  },
};

/** Ranges around each strategy's defaults where settings trade on these candles (the declared bounds mostly do not). */
const AXES: Record<string, string[]> = {
  "fibonacci-golden-zone": [
    "emaFast=5..20",
    "emaMid=21..50",
    "emaSlow=51..150",
    "swingLookback=5..30",
    "minConfirmations=0..1",
    "volumeFactor=0.5..2",
    "stopLevel=0.7..0.9",
  ],
  "ma-distance": ["maPeriod=5..150", "buyThreshold=-6..-0.5", "sellThreshold=0.5..6", "stopLossPct=0.5..8"],
  "buy-and-hold": [],
  dca: ["every=1..40", "quoteAmount=20..600"],
};

// Fills made differently without a protection: the simulation's quiet candles (nothing reached) run then.
const TRAILING: CycleConfig = {
  ...RISKY,
  rules: { ...RISKY.rules, risk: { ...RISKY.rules.risk, protections: {} } },
};
const CONFIGS = [DEFAULT_CYCLE_CONFIG, RISKY, TRAILING];

describe("the optimizer's simulation and npm run backtest", () => {
  for (const [name, timeframe] of [
    ["BNBUSDT-4h", "4h"],
    ["BNBUSDT-1d", "1d"],
  ] as const) {
    it.each(STRATEGIES.map((s) => s.name))(
      `give the same fills and equity on the whole ${name} fixture: %s, its defaults, without risk controls, with all, with all but the protections`,
      async (strategyName) => {
        const candles = fixtureCandles(name);
        const strategy = configureStrategy(
          STRATEGIES.find((s) => s.name === strategyName) as (typeof STRATEGIES)[number],
        );
        for (const config of CONFIGS) {
          const { backtest, fast } = await both(candles, timeframe, strategy, config);
          expect(fast.fills).toEqual(backtest.fills);
          expect(fast.equity).toEqual(backtest.equity);
        }
      },
      120_000,
    );
  }

  it.each(STRATEGIES.map((s) => s.name))(
    "give the same fills for 100 random settings of %s (seeded), 0 differences",
    async (strategyName) => {
      const spec = STRATEGIES.find((s) => s.name === strategyName) as (typeof STRATEGIES)[number];
      const candles = fixtureCandles("BNBUSDT-4h").slice(0, 1000);
      let compared = 0;
      let trades = 0;
      // Drawn until 100 settings the strategy accepts (its own check refuses some combinations).
      const axes = Object.fromEntries((AXES[strategyName] ?? []).map((text) => parseAxis(spec, text)));
      for (const [k, setting] of samples(spec, axes, 2000, 28).entries()) {
        if (compared === 100) break;
        let strategy: ConfiguredStrategy;
        try {
          strategy = configureStrategy(spec, setting);
        } catch {
          continue; // a combination the strategy's own check refuses
        }
        if (strategy.minimumCandles > DEFAULT_CYCLE_CONFIG.window) continue;
        const { backtest, fast } = await both(candles, "4h", strategy, CONFIGS[k % 3] as CycleConfig);
        expect(fast.fills, JSON.stringify(setting)).toEqual(backtest.fills);
        expect(fast.equity).toEqual(backtest.equity);
        compared++;
        trades += backtest.fills.length;
      }
      expect(compared).toBe(100);
      if (strategyName !== "buy-and-hold") expect(trades).toBeGreaterThan(50);
    },
    300_000,
  );
});
