import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BNBUSDT_FILTERS } from "../../cli/backtest/backtest-data.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { runBacktest } from "../../shared/application/backtest/run-backtest.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import type { Trade } from "../../shared/domain/account/account.ts";
import { fixtureCandles } from "../helpers/fixtures.ts";
import { LocalStack } from "../helpers/local-stack.ts";

const H4 = 4 * 3_600_000;
const candles = fixtureCandles("BNBUSDT-4h");
const describeTrade = (t: Trade, shift: number) =>
  [
    t.side,
    t.quantity.toFixed(),
    t.price.toFixed(),
    t.quoteAmount.toFixed(),
    t.fee.toFixed(),
    t.reason,
    t.candleTime - shift,
    t.realizedPnl?.toFixed(),
  ].join(" ");

describe("the backtest and the Lambda handler", () => {
  let stack: LocalStack;
  let scheduled: (index: number) => string;
  let handler: (event: unknown) => Promise<CycleResult>;

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, "write").mockImplementation(() => true);
    stack = await LocalStack.start();
    scheduled = stack.serveUntil("BNBUSDT", "4h", candles, candles.length - 1);
    // Each cycle runs as the schedule fires it, just after its candle's close: Date is faked, timers are real.
    vi.useFakeTimers({ toFake: ["Date"] });
    stack.binance.now = () => Date.now();
    Object.assign(process.env, stack.env());
    ({ handler } = (await import("../../functions/trading-cycle/handler.ts")) as never);
  }, 30_000);
  afterAll(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    await stack.close();
  });

  it("make the same trades, to the last digit, and end with the same balances", async () => {
    const backtest = await runBacktest({
      stores: memoryReplayStores,
      symbol: "BNBUSDT",
      timeframe: "4h",
      candles,
      firstIndex: 299,
      filters: BNBUSDT_FILTERS,
      config: DEFAULT_CYCLE_CONFIG,
    });

    // The same candles, cycle by cycle, each one just closed, through the function with its real adapters.
    for (let i = 299; i < candles.length; i++) {
      vi.setSystemTime(Date.parse(scheduled(i)) + 5_000);
      const result = await handler({
        symbol: "BNBUSDT",
        timeframe: "4h",
        scheduledTime: scheduled(i),
        accountId: "replay",
      });
      expect(result.status).toBe("ok");
    }
    const shift = Date.parse(scheduled(299)) - ((candles[299]?.openTime ?? 0) + H4);
    const repository = new DynamoDbAccountRepository({
      client: stack.dynamodb.documentClient(),
      tableName: stack.tableName,
    });
    const lambdaTrades = (await repository.listTrades("replay", { limit: 1000 })).items.reverse();

    expect(lambdaTrades.map((t) => describeTrade(t, shift))).toEqual(
      backtest.trades.map((t) => describeTrade(t, 0)),
    );
    expect(lambdaTrades.length).toBeGreaterThan(0);
    const state = await repository.loadState("replay");
    const finalStep = backtest.steps.at(-1)?.result;
    expect(state?.account.balances.USDT?.toFixed()).toBe(finalStep?.account?.usdtFree);
    expect(state?.positions.length).toBe(finalStep?.position ? 1 : 0);
  }, 600_000);
});
