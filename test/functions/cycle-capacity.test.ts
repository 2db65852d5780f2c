import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countConsumedCapacity } from "../../cli/bench/capacity-bench.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { DynamoDbAlertOutbox } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { PairsMarketData } from "../../shared/adapters/memory/pairs-market-data.ts";
import { TradingCycle } from "../../shared/application/cycle/index.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { silentLogger } from "../../shared/application/ports/logger.ts";
import { noMetrics } from "../../shared/application/ports/metrics.ts";
import { parseRiskSettings } from "../../shared/domain/trading/risk-config.ts";
import { BUY, closeOf, hourlyCandles } from "../helpers/hourly-market.ts";
import { filtersOf } from "../helpers/live-session.ts";
import { TestDynamoDb } from "../helpers/local-dynamodb.ts";
import { runEvent } from "../helpers/run-event.ts";

/** Capacity units one cycle consumes (every call's ConsumedCapacity, as DynamoDB Local reports it). */
interface Units {
  read: number;
  write: number;
}

const OPERATIONS = readFileSync("docs/operations.md", "utf8");

describe("what a cycle costs in DynamoDB capacity (ReturnConsumedCapacity on DynamoDB Local)", () => {
  let db: TestDynamoDb;
  beforeAll(async () => {
    db = await TestDynamoDb.start();
  }, 60_000);
  afterAll(async () => db.close());

  /** Runs the cycles of candles `indices` on a fresh account, measuring each. */
  async function measure(
    indices: readonly number[],
    risk?: string,
  ): Promise<Map<number, Units & { result: CycleResult }>> {
    const tableName = await db.createTable();
    const client = db.documentClient();
    const counter = countConsumedCapacity(client);
    const repository = new DynamoDbAccountRepository({ client, tableName });
    const outbox = new DynamoDbAlertOutbox({ client, tableName });
    let now = 0;
    const config = {
      ...DEFAULT_CYCLE_CONFIG,
      rules: { ...DEFAULT_CYCLE_CONFIG.rules, ...(risk ? { risk: parseRiskSettings(risk, "test") } : {}) },
    };
    const cycle = new TradingCycle({
      market: new PairsMarketData().add("BNBUSDT", "1h", hourlyCandles, filtersOf("BNBUSDT")),
      repository,
      outbox,
      alerts: { publish: async () => {} },
      metrics: noMetrics,
      logger: silentLogger,
      now: () => now,
      config,
    });
    const out = new Map<number, Units & { result: CycleResult }>();
    for (const i of indices) {
      now = closeOf(i) + 2_000;
      counter.reset();
      const result = await runEvent(cycle, {
        symbol: "BNBUSDT",
        timeframe: "1h",
        scheduledTime: new Date(closeOf(i)).toISOString(),
      });
      out.set(i, { ...counter.units, result });
    }
    return out;
  }

  it("measures a quiet cycle, an entry, a held quiet cycle, and a quiet cycle with protections on; docs/operations.md quotes them", async () => {
    const plain = await measure([BUY - 2, BUY - 1, BUY, BUY + 1]);
    const quiet = plain.get(BUY - 1) as Units & { result: CycleResult };
    const entry = plain.get(BUY) as Units & { result: CycleResult };
    const held = plain.get(BUY + 1) as Units & { result: CycleResult };
    expect(quiet.result.entry).toBeNull();
    expect(entry.result.entry?.side).toBe("BUY");
    expect(held.result.position).not.toBeNull();
    const guarded = await measure([BUY - 2, BUY - 1], '{"protections": {"cooldownCandles": 2}}');
    const protectedQuiet = guarded.get(BUY - 1) as Units;
    const row = (what: string, u: Units) => `| ${what} | ${u.read} | ${u.write} |`;
    for (const [what, u] of [
      ["a quiet cycle (no position, no signal)", quiet],
      ["a BUY that opens a position", entry],
      ["a cycle holding a position, no exit", held],
      ["a quiet cycle with a protection on", protectedQuiet],
    ] as const) {
      expect(u.write, what).toBeGreaterThan(0);
      expect(OPERATIONS, what).toContain(row(what, u));
    }
    // The month's bills quoted beside them, recomputed from what was measured (quiet cycles dominate).
    const dollars = (cycles: number) => (cycles * (quiet.read * 0.125 + quiet.write * 0.625)) / 1e6;
    expect(dollars(930)).toBeLessThan(0.005);
    expect(OPERATIONS).toContain("DynamoDB\n  about $0.004");
    // The 1,000-pair month: its DynamoDB requests and point-in-time recovery on ~3 GB at $0.20 a GB.
    expect(OPERATIONS).toContain(`≈ $0.60: **≈ $${(dollars(720_000) + 3 * 0.2).toFixed(2)} a month**`);
    expect(OPERATIONS).toContain(
      `DynamoDB about ${((720_000 * quiet.read) / 1e6).toFixed(2)} million read\n  and ${((720_000 * quiet.write) / 1e6).toFixed(2)} million write units, **≈ $${dollars(720_000).toFixed(2)}**`,
    );
    // The README and docs/deploy.md quote the same month for 5 symbols on 3 timeframes (4,650 cycles).
    const five = `$${dollars(4_650).toFixed(2)} a month`;
    expect(readFileSync("README.md", "utf8")).toContain(`about **${five}**`);
    expect(readFileSync("docs/deploy.md", "utf8")).toContain(`about **${five}**`);
  }, 120_000);

  it("npm run bench measures the same units (its capacity figures are the table's)", async () => {
    const { benchCapacity } = await import("../../cli/bench/capacity-bench.ts");
    const { yearOfHourlyCandles } = await import("../../cli/bench/backtest-bench.ts");
    const { fixtureCandles } = await import("../helpers/fixtures.ts");
    const u = await benchCapacity(yearOfHourlyCandles(fixtureCandles("BNBUSDT-4h")));
    for (const [what, m] of [
      ["a quiet cycle (no position, no signal)", u.quiet],
      ["a BUY that opens a position", u.entry],
      ["a cycle holding a position, no exit", u.held],
      ["a quiet cycle with a protection on", u.protectedQuiet],
    ] as const)
      expect(OPERATIONS, what).toContain(`| ${what} | ${m.read} | ${m.write} |`);
  }, 120_000);
});
