import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryOnConflict } from "../../../shared/application/cycle/index.ts";
import type { AccountHistory, StoredTrade } from "../../../shared/application/ports/account-repository.ts";
import type { Trade } from "../../../shared/domain/account/account.ts";
import { sumMovements } from "../../../shared/domain/account/ledger.ts";
import { TIMEFRAMES, type Timeframe } from "../../../shared/domain/market/timeframe.ts";
import { type Decimal, dec, floorToStep, ZERO } from "../../../shared/domain/money/decimal.ts";
import { BACKENDS, TestDynamoDb } from "../../helpers/local-dynamodb.ts";
import { commit, cycle, T0, trade } from "../../helpers/trades.ts";

const SYMBOLS = ["BNB", "ETH", "BTC", "SOL", "XRP", "ADA", "DOGE", "TRX", "LINK", "DOT"];

async function ledger(repository: AccountHistory): Promise<StoredTrade[]> {
  const all: StoredTrade[] = [];
  let cursor: string | undefined;
  do {
    const page = await repository.listTrades("paper", { limit: 100, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}

/** balance = initial + the ledger's movements, for every asset, to the last digit. */
async function expectBalancesMatchLedger(repository: AccountHistory, initial: Decimal) {
  const state = await repository.loadState("paper");
  const movements = sumMovements(await ledger(repository));
  const expected: Record<string, string> = {};
  for (const [asset, delta] of Object.entries(movements)) expected[asset] = delta.toString();
  expected.USDT = initial.plus(movements.USDT ?? ZERO).toString();
  const actual = Object.fromEntries(
    Object.entries(state?.account.balances ?? {}).map(([a, v]) => [a, v.toString()]),
  );
  expect(actual).toEqual(expected);
  for (const value of Object.values(state?.account.balances ?? {})) expect(value.gte(0)).toBe(true);
  return state;
}

const tradeOf = (asset: string, side: "BUY" | "SELL", quantity: string, price: string, k: number): Trade =>
  trade({
    symbol: `${asset}USDT`,
    baseAsset: asset,
    side,
    quantity,
    price,
    candleTime: T0 + k * 60_000,
    sequence: 0,
  });

// The repository contract: the same tests on DynamoDB Local and on the embedded store.
describe.each(BACKENDS)("on %s", (backend) => {
  let db: TestDynamoDb;
  beforeAll(async () => {
    db = await TestDynamoDb.start(backend);
  });
  afterAll(async () => db.close());

  describe("the account under concurrency", () => {
    it("50 concurrent trades across 10 symbols lose no update and never go negative", async () => {
      const { repository } = await db.repository();
      await repository.openAccount("paper", dec("10000"), new Date(T0), "USDT");
      for (const [i, asset] of SYMBOLS.entries()) {
        const buy = tradeOf(asset, "BUY", "1", "100.01", i);
        await repository.commitCycle(
          commit({
            expectedVersion: i,
            cycle: cycle({ symbol: buy.symbol, candleTime: buy.candleTime }),
            trades: [buy],
          }),
        );
      }
      const attempts: number[] = [];
      await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          retryOnConflict(async (attempt) => {
            const state = await repository.loadState("paper");
            const asset = SYMBOLS[k % 10] as string;
            const t = tradeOf(asset, k % 2 ? "SELL" : "BUY", "0.013", `${100 + k}.37`, 100 + k);
            // Each writer is its own pair (symbol × timeframe): a pair's candles only move forward.
            const timeframe = TIMEFRAMES[Math.floor(k / 10)] as Timeframe;
            await repository.commitCycle(
              commit({
                expectedVersion: state?.account.version ?? -1,
                cycle: cycle({ symbol: t.symbol, timeframe, candleTime: t.candleTime }),
                trades: [t],
              }),
            );
            attempts.push(attempt);
          }),
        ),
      );
      expect(attempts).toHaveLength(50);
      expect(Math.max(...attempts)).toBeGreaterThan(1); // the writers did collide, and were retried
      const state = await expectBalancesMatchLedger(repository, dec("10000"));
      expect(state?.account.version).toBe(60);
      expect(await ledger(repository)).toHaveLength(60);
      // 50 writers on one account retry each other's conflicts: seconds alone, more on a busy machine.
    }, 90_000);
  });

  describe("the ledger invariant", () => {
    const step = fc.record({
      asset: fc.constantFrom(...SYMBOLS.slice(0, 4)),
      buy: fc.boolean(),
      lots: fc.integer({ min: 1, max: 5000 }), // × 0.001
      cents: fc.integer({ min: 1, max: 9_999_999 }), // price × 100
    });
    const LOT = dec("0.001");

    it("holds exactly after thousands of generated trades", async () => {
      let total = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 400, maxLength: 600 }), async (steps) => {
          const { repository } = await db.repository();
          const initial = dec("10000");
          await repository.openAccount("paper", initial, new Date(T0), "USDT");
          const held: Record<string, Decimal> = { USDT: initial };
          const trades: Trade[] = [];
          for (const s of steps) {
            const price = dec(s.cents).div(100);
            const side = s.buy ? "BUY" : "SELL";
            // At most what the cash buys (fee included) or the holding sells, in lots, as the cycle sizes.
            const room = s.buy ? (held.USDT ?? ZERO).div(price.times("1.001")) : (held[s.asset] ?? ZERO);
            const wanted = dec(s.lots).div(1000);
            const affordable = floorToStep(room, LOT);
            const quantity = wanted.lt(affordable) ? wanted : affordable;
            if (quantity.eq(0)) continue; // nothing to trade: the cycle would make no trade
            const candidate = tradeOf(s.asset, side, quantity.toString(), price.toString(), trades.length);
            const next = { ...held };
            for (const [asset, delta] of Object.entries(sumMovements([candidate])))
              next[asset] = (next[asset] ?? ZERO).plus(delta);
            expect(Object.values(next).every((v) => v.gte(0))).toBe(true);
            Object.assign(held, next);
            trades.push({ ...candidate, sequence: trades.length % 25 });
          }
          for (let i = 0, n = 0; i < trades.length; i += 25, n++) {
            const chunk = trades.slice(i, i + 25).map((t) => ({ ...t, candleTime: T0 + n * 60_000 }));
            await repository.commitCycle(
              commit({ expectedVersion: n, cycle: cycle({ candleTime: T0 + n * 60_000 }), trades: chunk }),
            );
          }
          total += trades.length;
          const state = await expectBalancesMatchLedger(repository, initial);
          for (const [asset, value] of Object.entries(held)) {
            if (!value.eq(0) || state?.account.balances[asset])
              expect(state?.account.balances[asset]?.toString()).toBe(value.toString());
          }
        }),
        { numRuns: 6 },
      );
      expect(total).toBeGreaterThan(1000);
    }, 120_000);
  });
});
