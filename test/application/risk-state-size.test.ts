import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BNBUSDT_FILTERS } from "../../cli/backtest/backtest-data.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { InMemoryAccountRepository } from "../../shared/adapters/memory/in-memory-account-repository.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { runBacktest } from "../../shared/application/backtest/run-backtest.ts";
import { riskStateJson } from "../../shared/application/state-json.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { strategyNamed } from "../../shared/domain/strategies/registry.ts";
import { parseRiskSettings } from "../../shared/domain/trading/risk-config.ts";
import { MAX_RISK_MARKS } from "../../shared/domain/trading/risk-state.ts";
import { fixtureCandles } from "../helpers/fixtures.ts";

const OPERATIONS = readFileSync("docs/operations.md", "utf8");

describe("the size of what the protections remember (docs/operations.md's figures)", () => {
  it("one 4h pair with a week's look-back: the state the account item holds, as stated", async () => {
    const repository = new InMemoryAccountRepository();
    const risk = parseRiskSettings(
      {
        trailingStop: { activationPct: 2, distancePct: 1 },
        protections: {
          cooldownCandles: 2,
          stopLossGuard: { stops: 3, lookbackCandles: 24, pauseCandles: 12 },
          maxDrawdown: { pct: 10, lookbackCandles: 42, pauseCandles: 6 },
          dailyLossPct: 3,
        },
      },
      "the test",
    );
    await runBacktest({
      stores: memoryReplayStores,
      symbol: "BNBUSDT",
      timeframe: "4h",
      candles: fixtureCandles("BNBUSDT-4h"),
      firstIndex: 299,
      filters: BNBUSDT_FILTERS,
      config: {
        ...DEFAULT_CYCLE_CONFIG,
        strategy: strategyNamed("ma-distance"),
        rules: { ...DEFAULT_CYCLE_CONFIG.rules, risk },
      },
      account: { repository, history: repository, outbox: repository },
    });
    const state = (await repository.loadState("paper"))?.account.risk;
    expect(state?.marks).toHaveLength(42);
    const kb = (JSON.stringify(riskStateJson(state as NonNullable<typeof state>)).length / 1000).toFixed(1);
    expect(OPERATIONS).toContain(
      `with what they remember (${kb} KB for one 4h pair and a week's look-back, measured;`,
    );
    // The item with its other attributes (about 200 bytes) in 1 KB write units, twice for a transaction, 4,650 cycles at $0.625 a million.
    const bytes = JSON.stringify(riskStateJson(state as NonNullable<typeof state>)).length + 200;
    const units = Math.ceil(bytes / 1024) * 2;
    const dollars = ((units * 4650 * 0.625) / 1_000_000).toFixed(2);
    expect(OPERATIONS).toContain(
      `rounds up to ${units / 2} KB): ${units} more write units a cycle (transactional writes count twice), for the 4,650\ncycles above ${(units * 4650).toLocaleString("en")} units, **≈ $${dollars} more a month**`,
    );
  });

  it("the cap on marks is about 100 KB of the item's 400 KB", () => {
    const mark = { close: Date.UTC(2026, 0, 1), equity: dec("10000.12345678") };
    const bytes = JSON.stringify(
      riskStateJson({
        exits: [],
        marks: Array.from({ length: MAX_RISK_MARKS }, () => mark),
        keepMs: 0,
        locks: [],
      }),
    ).length;
    expect(Math.round(bytes / 10_000) * 10).toBe(100);
    expect(OPERATIONS).toContain(
      `An account's marks are capped\nat ${MAX_RISK_MARKS.toLocaleString("en")} (about 100 KB`,
    );
  });
});
