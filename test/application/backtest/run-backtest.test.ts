import { describe, expect, it } from "vitest";
import { BNBUSDT_FILTERS } from "../../../cli/backtest/backtest-data.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../../shared/adapters/config/default-cycle-config.ts";
import { memoryReplayStores } from "../../../shared/adapters/memory/memory-replay-stores.ts";
import { runBacktest } from "../../../shared/application/backtest/run-backtest.ts";
import { signalView } from "../../../shared/application/cycle/index.ts";
import { sumMovements } from "../../../shared/domain/account/ledger.ts";
import { toCandleSeries } from "../../../shared/domain/market/candle-series.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";

describe("runBacktest", async () => {
  const candles = fixtureCandles("BNBUSDT-4h");
  const run = await runBacktest({
    stores: memoryReplayStores,
    symbol: "BNBUSDT",
    timeframe: "4h",
    candles,
    firstIndex: 299,
    filters: BNBUSDT_FILTERS,
    config: DEFAULT_CYCLE_CONFIG,
  });

  it("runs one cycle per closed candle after the warm-up, each for its own candle", () => {
    expect(run.steps).toHaveLength(candles.length - 299);
    run.steps.forEach((step, k) => {
      expect(step.candle).toBe(candles[299 + k]);
      expect(step.result.candle?.openTime).toBe(new Date(step.candle.openTime).toISOString());
    });
  });

  it("takes exactly the strategy's signals (those of npm run signals)", () => {
    const series = toCandleSeries(candles);
    const mismatches = run.steps.filter(
      (step, k) =>
        JSON.stringify(step.result.signal) !==
        JSON.stringify(signalView(DEFAULT_CYCLE_CONFIG.strategy.evaluate(series, 299 + k, 300))),
    );
    expect(mismatches).toEqual([]);
    expect(
      run.steps.filter((s) => s.result.signal?.action !== "HOLD").map((s) => s.result.signal?.action),
    ).toEqual(["SELL", "BUY"]);
  });

  it("trades the BUY of 2025-05-18 and is stopped out on 2025-06-22, balances matching the ledger", () => {
    expect(
      run.trades.map((t) => [
        t.side,
        t.quantity.toString(),
        t.price.toString(),
        t.fee.toString(),
        t.reason,
        new Date(t.candleTime).toISOString(),
      ]),
    ).toEqual([
      ["BUY", "1.567", "638.13", "0.99994971", "entry", "2025-05-18T16:00:00.000Z"],
      ["SELL", "1.567", "606.97", "0.95112199", "stop", "2025-06-22T12:00:00.000Z"],
    ]);
    const movements = sumMovements(run.trades);
    expect(
      dec(10_000)
        .plus(movements.USDT ?? 0)
        .toString(),
    ).toBe("9949.2212083");
    expect(run.steps.at(-1)?.result.account?.usdtFree).toBe("9949.2212083");
  });
});
