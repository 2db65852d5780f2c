import { describe, expect, it } from "vitest";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { InMemoryAccountRepository } from "../../shared/adapters/memory/in-memory-account-repository.ts";
import { PairsMarketData } from "../../shared/adapters/memory/pairs-market-data.ts";
import { TradingCycle } from "../../shared/application/cycle/index.ts";
import { silentLogger } from "../../shared/application/ports/logger.ts";
import type { ClosedCandlesRequest } from "../../shared/application/ports/market-data.ts";
import { noMetrics } from "../../shared/application/ports/metrics.ts";
import { closeOf, HOUR, hourlyCandles } from "../helpers/hourly-market.ts";
import { filtersOf } from "../helpers/live-session.ts";
import { runEvent } from "../helpers/run-event.ts";

describe("the cycle commits only the candle of its event", () => {
  it("fails, retryable, naming both open times, when the market data's last closed candle is another one", async () => {
    const repository = new InMemoryAccountRepository();
    const market = new PairsMarketData().add("BNBUSDT", "1h", hourlyCandles, filtersOf("BNBUSDT"));
    // An upstream an hour behind that still calls its last candle the closed one.
    const skewed = {
      closedCandles: (r: ClosedCandlesRequest) => market.closedCandles({ ...r, closedBy: r.closedBy - HOUR }),
      candleRange: market.candleRange.bind(market),
      symbolFilters: market.symbolFilters.bind(market),
    };
    const close = closeOf(400);
    const cycle = new TradingCycle({
      market: skewed,
      repository,
      outbox: repository,
      alerts: { publish: async () => {} },
      metrics: noMetrics,
      logger: silentLogger,
      now: () => close + 2_000,
      config: DEFAULT_CYCLE_CONFIG,
    });
    const result = await runEvent(cycle, {
      symbol: "BNBUSDT",
      timeframe: "1h",
      scheduledTime: new Date(close).toISOString(),
    });
    expect(result.status).toBe("failed");
    expect(result.error).toEqual({
      type: "CandleMismatchError",
      retryable: true,
      message: `BNBUSDT 1h: the event is for the candle opened at ${new Date(close - HOUR).toISOString()}, the market data's last closed candle opened at ${new Date(close - 2 * HOUR).toISOString()}; nothing committed`,
    });
    expect(await repository.findCycle("paper", "BNBUSDT", "1h", close - HOUR)).toBeUndefined();
    expect(await repository.findCycle("paper", "BNBUSDT", "1h", close - 2 * HOUR)).toBeUndefined();
    expect((await repository.listTrades("paper")).items).toEqual([]);
    // The right candle, once served, is committed.
    const fixed = new TradingCycle({
      market,
      repository,
      outbox: repository,
      alerts: { publish: async () => {} },
      metrics: noMetrics,
      logger: silentLogger,
      now: () => close + 60_000,
      config: DEFAULT_CYCLE_CONFIG,
    });
    const retried = await runEvent(fixed, {
      symbol: "BNBUSDT",
      timeframe: "1h",
      scheduledTime: new Date(close).toISOString(),
    });
    expect(retried.status).toBe("ok");
    expect(await repository.findCycle("paper", "BNBUSDT", "1h", close - HOUR)).toBeDefined();
  });
});
