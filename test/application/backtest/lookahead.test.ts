import { describe, expect, it } from "vitest";
import { BNBUSDT_FILTERS } from "../../../cli/backtest/backtest-data.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../../shared/adapters/config/default-cycle-config.ts";
import { memoryReplayStores } from "../../../shared/adapters/memory/memory-replay-stores.ts";
import { LookaheadError } from "../../../shared/application/backtest/lookahead.ts";
import { runBacktest } from "../../../shared/application/backtest/run-backtest.ts";
import { evaluateSettings } from "../../../shared/application/optimize/optimize.ts";
import { configureStrategy } from "../../../shared/domain/strategies/configure.ts";
import type { Strategy } from "../../../shared/domain/strategies/strategy.ts";
import { bnb4hMarket } from "../../helpers/bnb-market.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";

const candles = fixtureCandles("BNBUSDT-4h").slice(0, 700);

/** Buys when the next candle closes higher: it would win every time, if it could see the next candle. */
const peeking: Strategy = {
  name: "peeking",
  version: "1.0.0",
  description: "reads the next candle",
  params: {},
  minimumCandles: () => 2,
  evaluate(series, last) {
    const close = series.close[last] as number;
    const next = series.close[last + 1] as number;
    return next > close
      ? {
          action: "BUY",
          reason: "the next close is higher",
          price: close,
          plan: { entry: close, targets: [], stopToEntryAfterFirstTarget: false },
        }
      : { action: "SELL", reason: "the next close is lower", price: close };
  },
};

/** Decides on the series' last candle instead of the one it is given: the same future, read another way. */
const lastOfSeries: Strategy = {
  ...peeking,
  name: "last-of-series",
  evaluate(series, last) {
    const end = series.length - 1;
    const close = series.close[last] as number;
    return (series.close[end] as number) > close
      ? {
          action: "BUY",
          reason: "the last close is higher",
          price: close,
          plan: { entry: close, targets: [], stopToEntryAfterFirstTarget: false },
        }
      : { action: "HOLD", reason: "not higher", price: close };
  },
};

const backtest = (strategy: Strategy) =>
  runBacktest({
    stores: memoryReplayStores,
    symbol: "BNBUSDT",
    timeframe: "4h",
    candles,
    firstIndex: 299,
    filters: BNBUSDT_FILTERS,
    config: { ...DEFAULT_CYCLE_CONFIG, strategy: configureStrategy(strategy) },
  });

describe("a strategy sees only the candles up to the one that closed", () => {
  it("a backtest of a strategy that reads the next candle fails loudly, naming the candle", async () => {
    const error = await backtest(peeking).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LookaheadError);
    expect((error as Error).message).toMatch(
      /^strategy peeking decides BUY at the candle closed \d{4}-\d\d-\d\d \d\d:\d\d UTC with the candles after it, SELL without them: it reads a later candle, and a backtest of it would trade on the future$/,
    );
  });

  it("so does one that decides on the series' last candle instead of the one it is given", async () => {
    const error = await backtest(lastOfSeries).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LookaheadError);
    expect((error as Error).message).toMatch(
      /^strategy last-of-series decides (BUY|HOLD) at the candle closed .* UTC with the candles after it, (BUY|HOLD) without them: it reads a later candle/,
    );
  });

  it("the optimizer refuses it too, on its first setting", () => {
    expect(() => evaluateSettings(bnb4hMarket(candles), peeking, [{}])).toThrow(LookaheadError);
  });

  it("the registered strategies pass", async () => {
    for (const name of ["fibonacci-golden-zone", "ma-distance", "buy-and-hold", "dca"]) {
      const { strategyNamed } = await import("../../../shared/domain/strategies/registry.ts");
      const run = await runBacktest({
        stores: memoryReplayStores,
        symbol: "BNBUSDT",
        timeframe: "4h",
        candles,
        firstIndex: 299,
        filters: BNBUSDT_FILTERS,
        config: { ...DEFAULT_CYCLE_CONFIG, strategy: strategyNamed(name) },
      });
      expect(run.steps).toHaveLength(401);
    }
  });
});
