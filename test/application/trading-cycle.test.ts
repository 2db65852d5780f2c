import { describe, expect, it } from "vitest";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { InMemoryAccountRepository } from "../../shared/adapters/memory/in-memory-account-repository.ts";
import { PairsMarketData } from "../../shared/adapters/memory/pairs-market-data.ts";
import { TradingCycle } from "../../shared/application/cycle/index.ts";
import type { Alert } from "../../shared/application/ports/alerts.ts";
import { silentLogger } from "../../shared/application/ports/logger.ts";
import { noMetrics } from "../../shared/application/ports/metrics.ts";
import { BUY, closeOf, HOUR, hourlyCandles } from "../helpers/hourly-market.ts";
import { filtersOf } from "../helpers/live-session.ts";
import { runEvent } from "../helpers/run-event.ts";

/** The cycle on in-memory ports: the fixture's candles as BNBUSDT 1h, the default (Fibonacci) strategy. */
function cycleAt(close: number, repository = new InMemoryAccountRepository(), published: Alert[] = []) {
  const market = new PairsMarketData().add("BNBUSDT", "1h", hourlyCandles, filtersOf("BNBUSDT"));
  const cycle = new TradingCycle({
    market,
    repository,
    outbox: repository,
    alerts: { publish: async (alert) => void published.push(alert) },
    metrics: noMetrics,
    logger: silentLogger,
    now: () => close + 2_000,
    config: DEFAULT_CYCLE_CONFIG,
  });
  const event = { symbol: "BNBUSDT", timeframe: "1h", scheduledTime: new Date(close).toISOString() };
  return { cycle, event, repository, published };
}

describe("the trading cycle, on in-memory ports", () => {
  it("opens the position on the BUY window, commits it once with its alert, and answers a second delivery as duplicate", async () => {
    const { cycle, event, repository, published } = cycleAt(closeOf(BUY));
    const result = await runEvent(cycle, event);
    expect(result).toMatchObject({
      status: "ok",
      signal: { action: "BUY" },
      entry: { side: "BUY", quantity: "0.783" },
    });
    expect(published.map((a) => a.attributes.event)).toEqual(["entry"]);
    expect((await repository.listTrades("paper")).items).toHaveLength(1);
    const again = await runEvent(cycle, event);
    expect(again).toMatchObject({ status: "duplicate", entry: { quantity: "0.783" } });
    expect((await repository.listTrades("paper")).items).toHaveLength(1);
    expect(published).toHaveLength(1);
  });

  it("a dry run decides the same and writes and sends nothing", async () => {
    const { cycle, event, repository, published } = cycleAt(closeOf(BUY));
    const result = await runEvent(cycle, { ...event, dryRun: true });
    expect(result).toMatchObject({ status: "ok", dryRun: true, entry: { quantity: "0.783" } });
    expect(await repository.loadState("paper")).toBeUndefined();
    expect(published).toEqual([]);
  });

  it("refuses an event for an earlier candle once a later one is committed (candles only move forward)", async () => {
    const repository = new InMemoryAccountRepository();
    await runEvent(cycleAt(closeOf(BUY), repository).cycle, cycleAt(closeOf(BUY)).event);
    const earlier = cycleAt(closeOf(BUY - 1), repository);
    const result = await runEvent(earlier.cycle, earlier.event);
    expect(result.status).toBe("stale");
    expect(result.error?.type).toBe("StaleCycleError");
    expect(await repository.cycleNotes("paper")).toEqual([
      {
        kind: "refused",
        symbol: "BNBUSDT",
        timeframe: "1h",
        candleTime: closeOf(BUY - 1) - HOUR,
        reason: "StaleCycleError",
      },
    ]);
  });

  it("refuses a candle that has not closed, and a live event that comes too late", async () => {
    const { cycle } = cycleAt(closeOf(BUY));
    const future = await runEvent(cycle, {
      symbol: "BNBUSDT",
      timeframe: "1h",
      scheduledTime: new Date(closeOf(BUY + 1)).toISOString(),
    });
    expect(future.error?.type).toBe("FutureEventError");
    const late = await runEvent(cycle, {
      symbol: "BNBUSDT",
      timeframe: "1h",
      scheduledTime: new Date(closeOf(BUY - 10)).toISOString(),
    });
    expect(late.error?.type).toBe("LateEventError");
  });

  it("logs a failed cycle as an error 'Cycle failed', a successful one as info 'Cycle finished'", async () => {
    const lines: string[] = [];
    const record = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
    const logger = { ...silentLogger, info: record("INFO"), warn: record("WARN"), error: record("ERROR") };
    const repository = new InMemoryAccountRepository();
    const failing = {
      closedCandles: async () => {
        throw new Error("down");
      },
      candleRange: async () => ({ candles: [], gaps: [] }),
      symbolFilters: async () => filtersOf("BNBUSDT"),
    };
    const cycle = new TradingCycle({
      market: failing,
      repository,
      outbox: repository,
      alerts: { publish: async () => {} },
      metrics: noMetrics,
      logger,
      now: () => closeOf(BUY) + 2_000,
      config: DEFAULT_CYCLE_CONFIG,
    });
    const result = await runEvent(cycle, {
      symbol: "BNBUSDT",
      timeframe: "1h",
      scheduledTime: new Date(closeOf(BUY)).toISOString(),
    });
    expect(result.status).toBe("failed");
    expect(lines).toContain("ERROR Cycle failed");
    expect(lines.filter((l) => l.includes("Cycle finished"))).toEqual([]);
    const ok = cycleAt(closeOf(BUY));
    const okLines: string[] = [];
    const okCycle = new TradingCycle({
      market: new PairsMarketData().add("BNBUSDT", "1h", hourlyCandles, filtersOf("BNBUSDT")),
      repository: ok.repository,
      outbox: ok.repository,
      alerts: { publish: async () => {} },
      metrics: noMetrics,
      logger: { ...silentLogger, info: (m: string) => void okLines.push(`INFO ${m}`) },
      now: () => closeOf(BUY) + 2_000,
      config: DEFAULT_CYCLE_CONFIG,
    });
    await runEvent(okCycle, ok.event);
    expect(okLines).toContain("INFO Cycle finished");
  });
});
