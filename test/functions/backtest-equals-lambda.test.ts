import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BNBUSDT_FILTERS } from "../../cli/backtest/backtest-data.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { cycleConfigOf, parseSettings } from "../../shared/adapters/config/settings.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { runBacktest } from "../../shared/application/backtest/run-backtest.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import type { Trade } from "../../shared/domain/account/account.ts";
import { fixtureCandles } from "../helpers/fixtures.ts";
import { LocalStack } from "../helpers/local-stack.ts";
import { AGGRESSIVE_RISK } from "../helpers/risk.ts";

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

const RISK = AGGRESSIVE_RISK;
const RISKY = {
  risk: RISK,
  stakeFractions: { "4h": "0.5" },
  watchlist: [
    {
      symbol: "BNBUSDT",
      timeframes: ["4h"],
      strategy: "ma-distance",
      params: { maPeriod: 20 },
      account: "risky",
    },
  ],
};
const riskyConfig = () => {
  const settings = parseSettings(RISKY);
  const [pair] = settings.pairs;
  return {
    ...cycleConfigOf(settings),
    watchlist: undefined,
    strategy: pair?.strategy ?? DEFAULT_CYCLE_CONFIG.strategy,
  };
};

describe("the backtest and the Lambda handler", () => {
  let stack: LocalStack;
  let scheduled: (index: number) => string;

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, "write").mockImplementation(() => true);
    stack = await LocalStack.start();
    scheduled = stack.serveUntil("BNBUSDT", "4h", candles, candles.length - 1, { wholeDays: true });
    // Each cycle runs as the schedule fires it, just after its candle's close: Date is faked, timers are real.
    vi.useFakeTimers({ toFake: ["Date"] });
    stack.binance.now = () => Date.now();
    Object.assign(process.env, stack.env());
  }, 30_000);
  afterAll(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    await stack.close();
  });

  it.each([
    ["the default settings", "replay", undefined, () => DEFAULT_CYCLE_CONFIG],
    ["protections, a trailing stop, risk sizing and slippage on", "risky", RISKY, riskyConfig],
  ] as const)(
    "make the same trades with %s, to the last digit, and end with the same balances",
    async (_, accountId, settings, config) => {
      // The function reads its settings when loaded: a fresh load with this case's.
      process.env.TRADING_BOT = settings ? JSON.stringify(settings) : stack.env().TRADING_BOT;
      vi.resetModules();
      const { handler } = (await import("../../functions/trading-cycle/handler.ts")) as unknown as {
        handler: (event: unknown) => Promise<CycleResult>;
      };
      const backtest = await runBacktest({
        stores: memoryReplayStores,
        symbol: "BNBUSDT",
        timeframe: "4h",
        candles,
        firstIndex: 299,
        filters: BNBUSDT_FILTERS,
        config: { ...config(), defaultAccountId: accountId },
      });

      // The same candles, cycle by cycle, each one just closed, through the function with its real adapters.
      for (let i = 299; i < candles.length; i++) {
        vi.setSystemTime(Date.parse(scheduled(i)) + 5_000);
        const result = await handler({
          symbol: "BNBUSDT",
          timeframe: "4h",
          scheduledTime: scheduled(i),
          accountId,
        });
        expect(result.status).toBe("ok");
      }
      const shift = Date.parse(scheduled(299)) - ((candles[299]?.openTime ?? 0) + H4);
      const repository = new DynamoDbAccountRepository({
        client: stack.dynamodb.documentClient(),
        tableName: stack.tableName,
      });
      const lambdaTrades = (await repository.listTrades(accountId, { limit: 1000 })).items.reverse();

      expect(lambdaTrades.map((t) => describeTrade(t, shift))).toEqual(
        backtest.trades.map((t) => describeTrade(t, 0)),
      );
      expect(lambdaTrades.length).toBeGreaterThan(0);
      const state = await repository.loadState(accountId);
      const finalStep = backtest.steps.at(-1)?.result;
      expect(state?.account.balances.USDT?.toFixed()).toBe(finalStep?.account?.usdtFree);
      expect(state?.positions.length).toBe(finalStep?.position ? 1 : 0);
      if (settings) {
        // Every protection engaged and blocked entries in both, and the Lambda kept what the backtest kept.
        const blocked = new Set(backtest.steps.flatMap((s) => s.result.protections?.blockedEntry ?? []));
        expect([...blocked].sort()).toEqual(["cooldown", "dailyLossLimit", "maxDrawdown", "stopLossGuard"]);
        expect(lambdaTrades.some((t) => t.reason === "trailing-stop")).toBe(true);
        expect(state?.account.risk?.locks).toEqual(
          backtest.steps.at(-1)?.result.protections?.active.map((l) => ({
            ...l,
            since: Date.parse(l.since) + shift,
            until: Date.parse(l.until) + shift,
            reason: expect.any(String),
          })),
        );
      }
    },
    600_000,
  );
});
