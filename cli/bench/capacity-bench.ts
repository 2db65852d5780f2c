import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { DynamoDbAlertOutbox } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { createTableInput } from "../../shared/adapters/dynamodb/table-definition.ts";
import { PairsMarketData } from "../../shared/adapters/memory/pairs-market-data.ts";
import { parseCycleRequest, TradingCycle } from "../../shared/application/cycle/index.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { silentLogger } from "../../shared/application/ports/logger.ts";
import { noMetrics } from "../../shared/application/ports/metrics.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { toCandleSeries } from "../../shared/domain/market/candle-series.ts";
import { parseRiskSettings } from "../../shared/domain/trading/risk-config.ts";
import { BNBUSDT_FILTERS } from "../backtest/backtest-data.ts";
import { startDynamoDbLocal } from "../stand-ins/dynamodb-local-server.ts";

const HOUR = 3_600_000;
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export interface CycleUnits {
  readonly quiet: { read: number; write: number };
  readonly entry: { read: number; write: number };
  readonly held: { read: number; write: number };
  readonly protectedQuiet: { read: number; write: number };
}

/**
 * The DynamoDB capacity a cycle consumes, asked with ReturnConsumedCapacity on DynamoDB Local
 * (needs Java): a quiet cycle, a BUY that opens a position, a held cycle without an exit, and a
 * quiet cycle with a protection on; the default strategy (Fibonacci) on a year of 1h candles.
 */
export async function benchCapacity(year: readonly Candle[]): Promise<CycleUnits> {
  const dynamodb = await startDynamoDbLocal();
  try {
    const endpoint = { endpoint: dynamodb.endpoint, region: "us-east-1", credentials: CREDENTIALS };
    // The default strategy, as docs/operations.md's table (its positions carry a stop and two targets).
    const strategy = DEFAULT_CYCLE_CONFIG.strategy;
    // The first BUY after the warm-up with a quiet candle before it (a strategy reads no later candle).
    const series = toCandleSeries(year);
    let buy = -1;
    for (let i = 302; i < year.length - 1 && buy < 0; i++)
      if (
        strategy.evaluate(series, i, 300).action === "BUY" &&
        strategy.evaluate(series, i - 1, 300).action === "HOLD"
      )
        buy = i;
    const measure = async (indices: number[], risk?: string) => {
      const tableName = `capacity-${Math.random().toString(36).slice(2)}`;
      const raw = new DynamoDBClient(endpoint);
      await raw.send(new CreateTableCommand(createTableInput(tableName)));
      raw.destroy();
      const client = createDocumentClient(endpoint);
      const counter = countConsumedCapacity(client);
      let now = 0;
      const repository = new DynamoDbAccountRepository({ client, tableName });
      const cycle = new TradingCycle({
        market: new PairsMarketData().add("BNBUSDT", "1h", [...year], BNBUSDT_FILTERS),
        repository,
        outbox: new DynamoDbAlertOutbox({ client, tableName }),
        alerts: { publish: async () => {} },
        metrics: noMetrics,
        logger: silentLogger,
        now: () => now,
        config: {
          ...DEFAULT_CYCLE_CONFIG,
          strategy,
          rules: {
            ...DEFAULT_CYCLE_CONFIG.rules,
            ...(risk ? { risk: parseRiskSettings(risk, "bench") } : {}),
          },
        },
      });
      const out: { read: number; write: number; result: CycleResult }[] = [];
      for (const i of indices) {
        const close = (year[i] as Candle).openTime + HOUR;
        now = close + 2_000;
        counter.reset();
        const request = parseCycleRequest(
          { symbol: "BNBUSDT", timeframe: "1h", scheduledTime: new Date(close).toISOString() },
          DEFAULT_CYCLE_CONFIG.defaultAccountId,
        );
        const result = await cycle.run(request);
        out.push({ ...counter.units, result });
      }
      return out;
    };
    const [, quiet, entry, held] = await measure([buy - 2, buy - 1, buy, buy + 1]);
    const [, protectedQuiet] = await measure([buy - 2, buy - 1], '{"protections": {"cooldownCandles": 2}}');
    const units = (m: { read: number; write: number } | undefined) => ({
      read: m?.read ?? 0,
      write: m?.write ?? 0,
    });
    return {
      quiet: units(quiet),
      entry: units(entry),
      held: units(held),
      protectedQuiet: units(protectedQuiet),
    };
  } finally {
    await dynamodb.close();
  }
}

/**
 * Asks every call of `client` for its consumed capacity (ReturnConsumedCapacity) and adds it up:
 * reads (GetItem, Query) apart from writes (PutItem, UpdateItem, DeleteItem, TransactWriteItems).
 */
export function countConsumedCapacity(client: ReturnType<typeof createDocumentClient>) {
  const units = { read: 0, write: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = "TOTAL";
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const total = (
        (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as { CapacityUnits?: number }[]
      ).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      if (/^(Get|Query|BatchGet|Scan)/.test(context.commandName ?? "")) units.read += total;
      else units.write += total;
      return out;
    },
    { step: "initialize", name: "consumedCapacity" },
  );
  return {
    get units() {
      return { ...units };
    },
    reset() {
      units.read = 0;
      units.write = 0;
    },
  };
}
