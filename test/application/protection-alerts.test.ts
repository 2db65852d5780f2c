import { describe, expect, it } from "vitest";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { InMemoryAccountRepository } from "../../shared/adapters/memory/in-memory-account-repository.ts";
import { PairsMarketData } from "../../shared/adapters/memory/pairs-market-data.ts";
import { TradingCycle } from "../../shared/application/cycle/index.ts";
import type { Alert } from "../../shared/application/ports/alerts.ts";
import { silentLogger } from "../../shared/application/ports/logger.ts";
import { noMetrics } from "../../shared/application/ports/metrics.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { NO_RISK_CONTROLS } from "../../shared/domain/trading/risk-settings.ts";
import { BUY, closeOf, hourlyCandles } from "../helpers/hourly-market.ts";
import { filtersOf } from "../helpers/live-session.ts";
import { runEvent } from "../helpers/run-event.ts";

// A daily loss limit so tight that the first candle against the position after the BUY engages it.
const config = {
  ...DEFAULT_CYCLE_CONFIG,
  rules: {
    ...DEFAULT_CYCLE_CONFIG.rules,
    risk: { ...NO_RISK_CONTROLS, protections: { dailyLossPct: dec("0.001") } },
  },
};

describe("a protection's alerts", () => {
  it("go out once when it engages and once when it releases, however often a cycle is delivered", async () => {
    const repository = new InMemoryAccountRepository();
    const market = new PairsMarketData().add("BNBUSDT", "1h", hourlyCandles, filtersOf("BNBUSDT"));
    const published: Alert[] = [];
    const results = [];
    for (let i = BUY; i < BUY + 30; i++) {
      const cycle = new TradingCycle({
        market,
        repository,
        outbox: repository,
        alerts: { publish: async (alert) => void published.push(alert) },
        metrics: noMetrics,
        logger: silentLogger,
        now: () => closeOf(i) + 2_000,
        config,
      });
      const event = { symbol: "BNBUSDT", timeframe: "1h", scheduledTime: new Date(closeOf(i)).toISOString() };
      results.push(await runEvent(cycle, event));
      await runEvent(cycle, event); // a second delivery: the recorded outcome, nothing sent again
    }
    const protection = published.filter((a) => a.attributes.event === "protection");
    expect(protection.map((a) => a.attributes.action)).toEqual(["ENGAGED", "RELEASED"]);
    expect(new Set(published.map((a) => a.id)).size).toBe(published.length);
    const [engaged, released] = protection as [Alert, Alert];
    expect(engaged.subject).toBe("PROTECTION ON: daily loss limit, account paper");
    expect(engaged.message).toMatch(
      /^No new entries on account paper until \d{4}-\d\d-\d\d 00:00 UTC \(exits keep running\)\.\nWhy: daily loss limit: equity [\d.]+ is [\d.]+ % below the day's opening [\d.]+ \(limit 0\.001 %\)/,
    );
    expect(released.message).toMatch(
      /^New entries allowed again on account paper: the daily loss limit engaged at .* ran out\./,
    );
    // The cycle that engaged it says so in its result, and the lock is the result's until the day ends.
    const at = results.findIndex((r) => (r.protections?.engaged.length ?? 0) > 0);
    expect(results[at]?.protections?.engaged).toEqual(["dailyLossLimit (account)"]);
    expect(results[at]?.protections?.active[0]?.until).toMatch(/T00:00:00\.000Z$/);
  });
});
