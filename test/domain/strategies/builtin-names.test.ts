import { describe, expect, it } from "vitest";
import { DEFAULT_CYCLE_CONFIG } from "../../../shared/adapters/config/default-cycle-config.ts";
import { parseSettings } from "../../../shared/adapters/config/settings.ts";
import { InMemoryAccountRepository } from "../../../shared/adapters/memory/in-memory-account-repository.ts";
import { PairsMarketData } from "../../../shared/adapters/memory/pairs-market-data.ts";
import { TradingCycle } from "../../../shared/application/cycle/index.ts";
import { silentLogger } from "../../../shared/application/ports/logger.ts";
import { noMetrics } from "../../../shared/application/ports/metrics.ts";
import { strategyNamed } from "../../../shared/domain/strategies/registry.ts";
import { runEvent } from "../../helpers/run-event.ts";

const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty"];

describe("a parameter named like a built-in property is an unknown parameter", () => {
  it.each(NAMES)("%s: refused by the registry, naming the strategy's parameters", (name) => {
    const given = JSON.parse(`{${JSON.stringify(name)}: 5}`) as Record<string, number>;
    expect(() => strategyNamed("ma-distance", given, "--param")).toThrowError(
      `--param ma-distance: unknown parameter "${name}"; its parameters: maPeriod, buyThreshold, sellThreshold, stopLossPct`,
    );
  });

  it("is refused in the watchlist at synth and start", () => {
    const watchlist = [
      {
        symbol: "BNBUSDT",
        timeframes: ["1h"],
        strategy: "ma-distance",
        params: JSON.parse('{"__proto__": 3}'),
      },
    ];
    expect(() => parseSettings({ watchlist })).toThrowError(/unknown parameter "__proto__"/);
  });

  it("is refused in an event's params, as an invalid event", async () => {
    const repository = new InMemoryAccountRepository();
    const cycle = new TradingCycle({
      market: new PairsMarketData(),
      repository,
      outbox: repository,
      alerts: { publish: async () => {} },
      metrics: noMetrics,
      logger: silentLogger,
      now: () => Date.UTC(2026, 0, 5, 12, 0, 5),
      config: { ...DEFAULT_CYCLE_CONFIG, resolveStrategy: (name, params) => strategyNamed(name, params) },
    });
    const result = await runEvent(
      cycle,
      JSON.parse(
        '{"symbol":"BNBUSDT","timeframe":"1h","dryRun":true,"strategy":"ma-distance","params":{"constructor":1}}',
      ),
    );
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ type: "InvalidRequestError", retryable: false });
    expect(result.error?.message).toContain('unknown parameter "constructor"');
  });
});
