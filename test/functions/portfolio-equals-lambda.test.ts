import { describe, expect, it, vi } from "vitest";
import { cycleConfigOf, parseSettings } from "../../shared/adapters/config/settings.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import {
  closesOf,
  type PortfolioPair,
  runPortfolio,
} from "../../shared/application/backtest/run-portfolio.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { derivedCandles, filtersOf, infoOf } from "../helpers/portfolio-market.ts";
import { describeTrade } from "../helpers/trades.ts";
import { useTradingFunction } from "../helpers/trading-function.ts";

const DAY = 86_400_000;
/** Two accounts of one deployment: five pairs on 4h and 1d sharing two slots, and three pairs of another strategy. */
const SETTINGS = {
  maxOpenPositions: 2,
  stakeFractions: { "4h": "0.4", "1d": "0.5" },
  watchlist: [
    {
      symbol: "BNBUSDT",
      timeframes: ["4h", "1d"],
      strategy: "ma-distance",
      params: { maPeriod: 20 },
      account: "fleet",
    },
    {
      symbol: "ETHUSDT",
      timeframes: ["4h", "1d"],
      strategy: "ma-distance",
      params: { maPeriod: 20 },
      account: "fleet",
    },
    {
      symbol: "SOLUSDT",
      timeframes: ["4h"],
      strategy: "ma-distance",
      params: { maPeriod: 30 },
      account: "fleet",
    },
    {
      symbol: "BNBUSDT",
      timeframes: ["4h"],
      strategy: "ma-distance",
      params: { maPeriod: 50 },
      account: "second",
    },
    {
      symbol: "ETHUSDT",
      timeframes: ["4h"],
      strategy: "ma-distance",
      params: { maPeriod: 50 },
      account: "second",
    },
    {
      symbol: "SOLUSDT",
      timeframes: ["4h", "1d"],
      strategy: "ma-distance",
      params: { maPeriod: 50 },
      account: "second",
    },
  ],
};
const FROM = Date.UTC(2025, 8, 1); // candles opening from 2025-09-01 …
const TO = Date.UTC(2025, 8, 30, 20); // … to 2025-09-30 20:00 UTC

describe("a whole account, backtested, equals the fleet of Lambda invocations (DynamoDB Local, Binance stand-in)", () => {
  const settings = parseSettings(SETTINGS);
  const market = new Map<string, PortfolioPair>();
  for (const p of settings.pairs) {
    const key = `${p.symbol} ${p.timeframe}`;
    if (!market.has(key))
      market.set(key, {
        symbol: p.symbol,
        timeframe: p.timeframe,
        candles: derivedCandles(p.symbol, p.timeframe as "4h" | "1d"),
        filters: filtersOf(p.symbol),
      });
  }
  const pairsOf = (account: string) =>
    settings.pairs
      .filter((p) => p.accountId === account)
      .map((p) => market.get(`${p.symbol} ${p.timeframe}`) as PortfolioPair);
  // The served candles moved by whole days, so that the last traded close is in the past of the real clock.
  const shift = Math.floor((Date.now() - TO - 2 * DAY) / DAY) * DAY;

  const fn = useTradingFunction(SETTINGS, (stack) => {
    for (const pair of market.values())
      stack.binance.serve(
        pair.symbol,
        pair.timeframe,
        pair.candles.map((c: Candle) => ({ ...c, openTime: c.openTime + shift })),
        infoOf(pair.symbol),
      );
  });

  it("makes the same fills in the same order and ends with the same balances, for each of two accounts run at once", async () => {
    const handler = await fn.handler();
    const config = cycleConfigOf(settings);
    const backtests = new Map<string, Awaited<ReturnType<typeof runPortfolio>>>();
    for (const account of ["fleet", "second"])
      backtests.set(
        account,
        await runPortfolio({
          accountId: account,
          pairs: pairsOf(account),
          from: FROM,
          to: TO,
          config: { ...config, defaultAccountId: account },
          stores: memoryReplayStores,
        }),
      );

    // The fleet: every close, every due pair of both accounts, one invocation each, in the watchlist's order.
    const everyPair = settings.pairs.map((p) => ({
      ...(market.get(`${p.symbol} ${p.timeframe}`) as PortfolioPair),
      account: p.accountId,
    }));
    const schedule = closesOf(everyPair, FROM, TO);
    let invocations = 0;
    for (const [close, due] of schedule) {
      vi.setSystemTime(close + shift + 5_000);
      for (const pair of due as (PortfolioPair & { account: string })[]) {
        const result = await handler({
          symbol: pair.symbol,
          timeframe: pair.timeframe,
          scheduledTime: new Date(close + shift).toISOString(),
          accountId: pair.account,
        });
        expect(result.status, JSON.stringify(result.error)).toBe("ok");
        invocations++;
      }
    }
    expect(invocations).toBe([...schedule.values()].reduce((n, due) => n + due.length, 0));

    const repository = new DynamoDbAccountRepository({
      client: fn.stack.dynamodb.documentClient(),
      tableName: fn.stack.tableName,
    });
    for (const account of ["fleet", "second"]) {
      const backtest = backtests.get(account) as Awaited<ReturnType<typeof runPortfolio>>;
      const live = (await repository.listTrades(account, { limit: 1000 })).items.reverse();
      expect(
        live.map((t) => describeTrade(t, shift)),
        account,
      ).toEqual(backtest.trades.map((t) => describeTrade(t, 0)));
      const state = await repository.loadState(account);
      const last = backtest.cycles.at(-1)?.result;
      expect(state?.account.balances.USDT?.toFixed(), account).toBe(last?.account?.usdtFree);
      expect(String(backtest.marks.at(-1)?.equity)).toBe(
        last?.account?.equity && String(Number(last.account.equity)),
      );
    }
    // The position limit bound: some BUY was not taken because every slot was full.
    const fleet = backtests.get("fleet") as Awaited<ReturnType<typeof runPortfolio>>;
    expect(fleet.trades.length).toBeGreaterThan(4);
    expect(fleet.cycles.some((c) => /maximum of 2 open positions/.test(c.result.entrySkipped ?? ""))).toBe(
      true,
    );
    expect(new Set(fleet.trades.map((t) => t.timeframe))).toEqual(new Set(["4h", "1d"]));
  }, 600_000);
});
