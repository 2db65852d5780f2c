import { describe, expect, it } from "vitest";
import { BNBUSDT_FILTERS } from "../../../cli/backtest/backtest-data.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../../shared/adapters/config/default-cycle-config.ts";
import { memoryReplayStores } from "../../../shared/adapters/memory/memory-replay-stores.ts";
import { runBacktest } from "../../../shared/application/backtest/run-backtest.ts";
import { sumMovements } from "../../../shared/domain/account/ledger.ts";
import { dec, floorToStep } from "../../../shared/domain/money/decimal.ts";
import { strategyNamed } from "../../../shared/domain/strategies/registry.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";

const candles = fixtureCandles("BNBUSDT-4h");
const replay = (name: string, params: Record<string, number> = {}) =>
  runBacktest({
    stores: memoryReplayStores,
    symbol: "BNBUSDT",
    timeframe: "4h",
    candles,
    firstIndex: 299,
    filters: BNBUSDT_FILTERS,
    config: { ...DEFAULT_CYCLE_CONFIG, strategy: strategyNamed(name, params) },
  });

describe("the baselines, through the same cycle", () => {
  it("buy-and-hold buys once, at its first cycle, with all it can afford, and never sells", async () => {
    const run = await replay("buy-and-hold");
    expect(run.trades.map((t) => [t.side, t.candleTime])).toEqual([["BUY", candles[299]?.openTime]]);
    const buy = run.trades[0];
    // 10,000 USDT / (1 + fee) at the close, down to the lot step of 0.001.
    const close = candles[299]?.close ?? 0;
    const affordable = floorToStep(dec(10_000).div(dec("1.001")).div(close), dec("0.001")).toFixed();
    expect(buy?.quantity.toFixed()).toBe(affordable);
    expect(buy?.price.toFixed()).toBe(String(close));
    expect(run.steps.at(-1)?.result.position?.quantity).toBe(affordable);
  });

  it("dca buys its quote amount every N candles, adding to one position at the weighted average entry", async () => {
    const run = await replay("dca", { quoteAmount: 250, every: 6 });
    const buys = run.trades.filter((t) => t.side === "BUY");
    expect(run.trades.every((t) => t.side === "BUY")).toBe(true);
    // Every 6th 4h candle is a day: one buy a day of 250 USDT (less the lot step's rounding) while
    // the cash lasts: 40 buys, and then too little is left for another.
    expect(buys.length).toBe(40);
    expect(buys.every((t) => t.quoteAmount.lte(250) && t.quoteAmount.gt(249))).toBe(true);
    for (const t of buys) expect((t.candleTime / (4 * 3_600_000)) % 6).toBe(0);
    const quantity = buys.reduce((s, t) => s.plus(t.quantity), dec(0));
    const cost = buys.reduce((s, t) => s.plus(t.quantity.times(t.price)), dec(0));
    const position = run.steps.at(-1)?.result.position;
    expect(position?.quantity).toBe(quantity.toFixed());
    expect(position?.entryPrice).toBe(cost.div(quantity).round(8, "halfUp").toFixed());
    // Balances equal the ledger exactly.
    const moves = sumMovements(run.trades);
    expect(run.steps.at(-1)?.result.account?.usdtFree).toBe(
      dec(10_000)
        .plus(moves.USDT ?? dec(0))
        .toFixed(),
    );
  });

  it("ma-distance with the reference's tuned 4h parameters opens and closes on its own signals", async () => {
    const run = await replay("ma-distance", { maPeriod: 100, buyThreshold: -3.2, sellThreshold: 10.3 });
    const reasons = run.trades.map((t) => t.reason);
    expect(reasons.filter((r) => r === "entry").length).toBeGreaterThan(0);
    expect(reasons.filter((r) => r !== "entry").every((r) => r === "signal")).toBe(true);
  });
});
