import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BNBUSDT_INFO } from "../../../cli/stand-ins/binance-stand-in.ts";
import { keys } from "../../../shared/adapters/dynamodb/table-definition.ts";
import { cycleBasis, windowDigest } from "../../../shared/application/cycle/index.ts";
import {
  CorruptItemError,
  DuplicateCycleError,
  InsufficientBalanceError,
  StaleCycleError,
  VersionConflictError,
} from "../../../shared/application/ports/account-repository.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { BACKENDS, TestDynamoDb } from "../../helpers/local-dynamodb.ts";
import { commit, cycle, position, T0, trade } from "../../helpers/trades.ts";

const NOW = new Date(T0);

// The repository contract: the same tests on DynamoDB Local and on the embedded store.
describe.each(BACKENDS)("on %s", (backend) => {
  let db: TestDynamoDb;
  beforeAll(async () => {
    db = await TestDynamoDb.start(backend);
  });
  afterAll(async () => db.close());

  describe("opening the account", () => {
    it("happens exactly once, even when several cycles try at the same moment", async () => {
      const { repository } = await db.repository();
      const opened = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          repository.openAccount("paper", dec("10000"), new Date(T0 + i), "USDT"),
        ),
      );
      const created = new Set(opened.map((a) => a.createdAt));
      expect(created.size).toBe(1);
      const state = await repository.loadState("paper");
      expect(state?.account.createdAt).toBe([...created][0]);
      expect(state?.account.balances.USDT?.toString()).toBe("10000");
      expect(state?.account.version).toBe(0);
      expect(state?.positions).toEqual([]);
    });

    it("reports an account that does not exist as undefined", async () => {
      const { repository } = await db.repository();
      expect(await repository.loadState("nobody")).toBeUndefined();
    });
  });

  describe("committing a cycle", () => {
    it("writes balances, position, ledger entry and cycle record together, exactly", async () => {
      const { repository, client, tableName } = await db.repository({ cycleRetentionDays: 30 });
      await repository.openAccount("paper", dec("10000"), NOW, "USDT");
      const buy = trade({ side: "BUY", quantity: "1.567", price: "638.13" });
      await repository.commitCycle(
        commit({ trades: [buy], position: { kind: "put", position: position({ quantity: dec("1.567") }) } }),
      );

      const state = await repository.loadState("paper");
      // 10000 − 1.567 × 638.13 − 0.1 % fee = 10000 − 999.94971 − 0.99994971
      expect(state?.account.balances.USDT?.toString()).toBe("8999.05034029");
      expect(state?.account.balances.BNB?.toString()).toBe("1.567");
      expect(state?.account.version).toBe(1);
      expect(state?.positions.map((p) => [p.symbol, p.quantity.toString(), p.version])).toEqual([
        ["BNBUSDT", "1.567", 1],
      ]);
      const trades = await repository.listTrades("paper");
      expect(trades.items.map((t) => [t.side, t.quantity.toString(), t.fee.toString()])).toEqual([
        ["BUY", "1.567", "0.99994971"],
      ]);
      const record = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.cycle("paper", "BNBUSDT", "4h", T0) }),
      );
      // Counted from when the record was written (recordedAt, 4 h after T0), not from the candle.
      expect(Number(record.Item?.expiresAt.value)).toBe((T0 + 4 * 3_600_000) / 1000 + 30 * 86_400);
    });

    it("moves each pair's candles only forward, inside the transaction: an earlier candle is refused, other pairs are not", async () => {
      const { repository } = await db.repository();
      await repository.openAccount("paper", dec("10000"), NOW, "USDT");
      const H4 = 4 * 3_600_000;
      await repository.commitCycle(commit({ cycle: cycle({ candleTime: T0 + H4 }) }));
      for (const candleTime of [T0, T0 - H4]) {
        const stale = commit({
          cycle: cycle({ candleTime }),
          trades: [trade({ side: "BUY", quantity: "1", price: "600", candleTime })],
          expectedVersion: 0,
        });
        const error = await repository.commitCycle(stale).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StaleCycleError);
        expect((error as StaleCycleError).lastCandle).toBe(T0 + H4);
      }
      await repository.commitCycle(commit({ cycle: cycle({ candleTime: T0, timeframe: "1h" }) }));
      await repository.commitCycle(commit({ cycle: cycle({ candleTime: T0 + 2 * H4 }) }));
      expect((await repository.listTrades("paper")).items).toEqual([]);
      expect((await repository.loadState("paper"))?.account.version).toBe(0);
    });

    it("commits a candle once: a second delivery gets the original outcome and writes nothing", async () => {
      const { repository } = await db.repository();
      await repository.openAccount("paper", dec("10000"), NOW, "USDT");
      const first = commit({
        cycle: cycle({ outcome: { status: "ok", durationMs: 1 } as never }),
        trades: [trade({ side: "BUY", quantity: "1", price: "600" })],
        position: { kind: "put", position: position() },
      });
      await repository.commitCycle(first);
      const again = {
        ...first,
        cycle: cycle({ outcome: { status: "ok", durationMs: 2 } as never }),
        expectedVersion: 1,
      };
      const error = await repository.commitCycle(again).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateCycleError);
      expect((error as DuplicateCycleError).existing.outcome).toEqual({ status: "ok", durationMs: 1 });
      expect((await repository.listTrades("paper")).items).toHaveLength(1);
      expect((await repository.loadState("paper"))?.account.balances.USDT?.toString()).toBe("9399.4");
    });

    it("keeps the protections' state and a trailing stop exactly, on the version decided on, with or without money moving", async () => {
      const { repository } = await db.repository();
      await repository.openAccount("paper", dec("10000"), NOW, "USDT");
      const risk = {
        exits: [{ pair: "BNBUSDT 4h", close: T0, reason: "trailing-stop" as const }],
        marks: [{ close: T0 + 4 * 3_600_000, equity: dec("9987.12345678") }],
        keepMs: 86_400_000,
        day: { date: 20_226, opening: dec("10000") },
        locks: [
          {
            protection: "cooldown" as const,
            scope: "BNBUSDT 4h",
            since: T0,
            until: T0 + 16 * 3_600_000,
            reason: "cooldown: BNBUSDT 4h exited",
          },
        ],
      };
      const trailing = {
        activation: dec("650.8926"),
        distance: dec("0.01"),
        highestClose: dec("661.2"),
        raised: true,
      };
      // A cycle that moves no money but the protections' state: the account's version moves.
      await repository.commitCycle(
        commit({
          risk,
          position: { kind: "put", position: position({ trailing, stopLoss: dec("654.58") }) },
        }),
      );
      const state = await repository.loadState("paper");
      expect(state?.account.version).toBe(1);
      expect(state?.account.risk).toEqual(risk);
      expect(state?.positions[0]?.trailing).toEqual(trailing);
      // Decided on version 0 again: refused, nothing written.
      await expect(
        repository.commitCycle(
          commit({ cycle: cycle({ candleTime: T0 + 4 * 3_600_000 }), risk: { ...risk, locks: [] } }),
        ),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect((await repository.loadState("paper"))?.account.risk).toEqual(risk);
    });

    it("refuses a commit decided on an older version, writing nothing", async () => {
      const { repository } = await db.repository();
      await repository.openAccount("paper", dec("10000"), NOW, "USDT");
      await repository.commitCycle(commit({ trades: [trade({ side: "BUY", quantity: "1", price: "600" })] }));
      const stale = commit({
        cycle: cycle({ symbol: "ETHUSDT" }),
        trades: [trade({ symbol: "ETHUSDT", baseAsset: "ETH", side: "BUY", quantity: "1", price: "3000" })],
      });
      await expect(repository.commitCycle(stale)).rejects.toThrowError(VersionConflictError);
      expect(await repository.findCycle("paper", "ETHUSDT", "4h", T0)).toBeUndefined();
      expect((await repository.listTrades("paper")).items).toHaveLength(1);
    });

    it("never lets a balance go negative: the condition refuses the whole transaction", async () => {
      const { repository } = await db.repository();
      await repository.openAccount("paper", dec("100"), NOW, "USDT");
      const tooBig = commit({ trades: [trade({ side: "BUY", quantity: "1", price: "100" })] }); // + 0.1 fee
      await expect(repository.commitCycle(tooBig)).rejects.toThrowError(InsufficientBalanceError);
      const state = await repository.loadState("paper");
      expect(state?.account.balances).toEqual({ USDT: dec("100") });
      expect(await repository.findCycle("paper", "BNBUSDT", "4h", T0)).toBeUndefined();
    });

    it("refuses to change a position that changed meanwhile", async () => {
      const { repository } = await db.repository();
      await repository.openAccount("paper", dec("10000"), NOW, "USDT");
      await repository.commitCycle(commit({ position: { kind: "put", position: position() } }));
      const update = commit({
        cycle: cycle({ candleTime: T0 + 1 }),
        position: { kind: "delete", symbol: "BNBUSDT", timeframe: "4h", previousVersion: 7 },
      });
      await expect(repository.commitCycle(update)).rejects.toThrowError(VersionConflictError);
      expect((await repository.loadState("paper"))?.positions).toHaveLength(1);
    });
  });

  describe("reads", () => {
    it("list trades newest first, page by page, and a pair's cycle history", async () => {
      const { repository } = await db.repository();
      await repository.openAccount("paper", dec("10000"), NOW, "USDT");
      for (let k = 0; k < 5; k++) {
        const candleTime = T0 + k * 4 * 3_600_000;
        await repository.commitCycle(
          commit({
            expectedVersion: k,
            cycle: cycle({ candleTime }),
            trades: [trade({ side: "BUY", quantity: "0.1", price: String(600 + k), candleTime })],
          }),
        );
      }
      const first = await repository.listTrades("paper", { limit: 2 });
      expect(first.items.map((t) => t.price.toString())).toEqual(["604", "603"]);
      const second = await repository.listTrades("paper", { limit: 2, cursor: first.cursor as string });
      expect(second.items.map((t) => t.price.toString())).toEqual(["602", "601"]);
      const history = await repository.cycleHistory("paper", "BNBUSDT", "4h", { limit: 10 });
      expect(history.items.map((c) => c.candleTime)).toEqual(
        [4, 3, 2, 1, 0].map((k) => T0 + k * 4 * 3_600_000),
      );
      expect((await repository.cycleHistory("paper", "BNBUSDT", "1h")).items).toEqual([]);
    });

    it("keep what a cycle decided on (its basis): code, candle, window digest, account version, position after, exactly", async () => {
      const { repository } = await db.repository();
      await repository.openAccount("paper", dec("10000"), NOW, "USDT");
      const candles = [0, 1, 2].map((k) => ({
        openTime: T0 + k * 4 * 3_600_000,
        open: 600.1 + k,
        high: 610.25,
        low: 590.5,
        close: 605.07 + k,
        volume: 1234.567,
      }));
      const basis = cycleBasis(candles, 7, position());
      await repository.commitCycle(commit({ cycle: cycle({ basis }), trades: [] }));
      const [record] = (await repository.cycleHistory("paper", "BNBUSDT", "4h")).items;
      expect(record?.basis).toEqual(basis);
      expect(record?.basis?.window).toEqual({ from: T0, count: 3, sha256: windowDigest(candles) });
      expect(record?.basis?.positionAfter?.quantity).toBe(position().quantity.toFixed());
    });

    it("keep the settings and exchange filters a cycle ran with, and the notes of failed and refused cycles", async () => {
      const { repository, outbox } = await db.repository();
      await repository.openAccount("paper", dec("10000"), NOW, "USDT");
      const settings = { strategy: "ma-distance", "params.maPeriod": "20", feeRate: "0.001" };
      const filters = { symbol: "BNBUSDT", ...BNBUSDT_INFO };
      await repository.commitCycle(commit({ cycle: cycle({ settings, filters }), trades: [] }));
      await repository.commitCycle(commit({ cycle: cycle({ candleTime: T0 + 4 * 3_600_000 }), trades: [] }));
      const [later, record] = (await repository.cycleHistory("paper", "BNBUSDT", "4h")).items;
      expect(record?.settings).toEqual(settings);
      expect(record?.filters).toEqual(filters);
      expect(later?.filters).toBeUndefined(); // a cycle that read none records none
      expect(later?.basis).toBeUndefined(); // a record written before bases were recorded reads as such
      const refusedAt = T0 + 8 * 3_600_000;
      await repository.noteRefusal("paper", "BNBUSDT", "4h", refusedAt, "LateEventError");
      const alert = {
        id: "a1",
        subject: "failed",
        message: "m",
        attributes: { event: "failure" as const, symbol: "ETHUSDT", timeframe: "1h", action: "NONE" },
      };
      await outbox.queueAlertOnce("paper", "FAILURE", "ETHUSDT", "1h", T0, alert);
      await outbox.queueAlertOnce("paper", "SIGNAL-ma-distance", "ETHUSDT", "1h", T0, alert);
      const notes = await repository.cycleNotes("paper");
      expect(notes.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
        { kind: "failed", symbol: "ETHUSDT", timeframe: "1h", candleTime: T0 },
        {
          kind: "refused",
          symbol: "BNBUSDT",
          timeframe: "4h",
          candleTime: refusedAt,
          reason: "LateEventError",
        },
      ]);
      expect(await repository.cycleNotes("other")).toEqual([]);
    });
  });

  describe("corrupt data", () => {
    it.each([
      [{ balances: { USDT: "ten" } }, 'attribute balances.USDT is not a decimal: "ten"'],
      [{ version: undefined }, "attribute version is missing"],
      [{ createdAt: 5 }, "attribute createdAt is not a string"],
      [
        {
          risk: JSON.stringify({ exits: [], marks: [{ close: "soon", equity: "1" }], keepMs: 0, locks: [] }),
        },
        'attribute risk: the protections\' state has a mark that is not a time: "soon"',
      ],
      [{ risk: "{}" }, "attribute risk: the protections' state lacks its exits, marks or locks"],
    ])("names the key and the attribute, never defaults (%#)", async (change, message) => {
      const { repository, client, tableName } = await db.repository();
      await repository.openAccount("paper", dec("10000"), NOW, "USDT");
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.account("paper") }),
      );
      await client.send(new PutCommand({ TableName: tableName, Item: { ...Item, ...change } }));
      const error = await repository.loadState("paper").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptItemError);
      expect((error as Error).message).toContain(`item pk=ACCOUNT#paper sk=ACCOUNT: ${message}`);
    });

    it("names a corrupt trade's attribute", async () => {
      const { repository, client, tableName } = await db.repository();
      const item = {
        ...keys.trade("paper", T0, "BNBUSDT", "4h", 0),
        accountId: "paper",
        symbol: "BNBUSDT",
        side: "HOLD",
      };
      await client.send(new PutCommand({ TableName: tableName, Item: item }));
      await expect(repository.listTrades("paper")).rejects.toThrowError(
        `item pk=ACCOUNT#paper sk=TRADE#2025-05-18T16:00:00.000Z#BNBUSDT#4h#0: attribute timeframe is missing`,
      );
    });
  });
});
