import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it, vi } from "vitest";
import { itemBytes, MAX_ITEM_BYTES } from "../../shared/adapters/dynamodb/item-size.ts";
import { keys } from "../../shared/adapters/dynamodb/table-definition.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { MAX_RISK_MARKS } from "../../shared/domain/trading/risk-state.ts";
import { fixtureCandles } from "../helpers/fixtures.ts";
import { useTradingFunction } from "../helpers/trading-function.ts";

const candles = fixtureCandles("BNBUSDT-4h");
const H4 = 4 * 3_600_000;
const SETTINGS = {
  risk: { protections: { maxDrawdown: { pct: 10, lookbackCandles: 42, pauseCandles: 6 } } },
  watchlist: [{ symbol: "BNBUSDT", timeframes: ["4h"], account: "grown" }],
};

describe("an account item grown to DynamoDB's 400 KB (DynamoDB Local)", () => {
  let scheduled: (index: number) => string;
  const fn = useTradingFunction(SETTINGS, (stack) => {
    scheduled = stack.serveUntil("BNBUSDT", "4h", candles, 700);
  });
  const published = () => fn.stack.sns.published.map((p) => String(p.subject ?? ""));

  it("trims itself, trades on and says so once: the next cycles commit, the item stays bounded", async () => {
    const handler = await fn.handler();
    const event = (i: number) => {
      vi.setSystemTime(Date.parse(scheduled(i)) + 5_000);
      return { symbol: "BNBUSDT", timeframe: "4h", scheduledTime: scheduled(i), accountId: "grown" };
    };
    expect((await handler(event(690))).status).toBe("ok");

    // What an older version kept: a look-back that only grew, one mark a minute, up to just under 400 KB.
    const db = fn.stack.dynamodb.documentClient();
    const close = Date.parse(scheduled(690));
    const mark = (i: number) => ({ close: close - (i + 1) * 60_000, equity: "10000.12345678" });
    const state = (n: number) => ({
      exits: [],
      marks: Array.from({ length: n }, (_, i) => mark(n - 1 - i)),
      keepMs: 3_650 * 86_400_000,
      locks: [],
    });
    const account = (
      await db.send(new GetCommand({ TableName: fn.stack.tableName, Key: keys.account("grown") }))
    ).Item as Record<string, unknown>;
    let n = 7_000;
    while (itemBytes({ ...account, risk: JSON.stringify(state(n + 100)) }) < MAX_ITEM_BYTES - 600) n += 100;
    while (itemBytes({ ...account, risk: JSON.stringify(state(n + 1)) }) < MAX_ITEM_BYTES - 600) n += 1;
    const risk = JSON.stringify(state(n));
    await db.send(
      new UpdateCommand({
        TableName: fn.stack.tableName,
        Key: keys.account("grown"),
        UpdateExpression: "SET #risk = :risk",
        ExpressionAttributeNames: { "#risk": "risk" },
        ExpressionAttributeValues: { ":risk": risk },
      }),
    );
    expect(itemBytes({ ...account, risk })).toBeGreaterThan(MAX_ITEM_BYTES - 1_200);
    fn.stack.sns.published.length = 0;

    for (let i = 691; i <= 694; i++) {
      const result = await handler(event(i));
      expect(result.status, JSON.stringify(result)).toBe("ok");
    }
    expect(published().filter((s) => s.includes("TRIMMED"))).toEqual([
      "PROTECTIONS' STATE TRIMMED: account grown",
    ]);
    const after = (
      await db.send(new GetCommand({ TableName: fn.stack.tableName, Key: keys.account("grown") }))
    ).Item as Record<string, unknown>;
    const kept = JSON.parse(String(after.risk)) as { marks: { close: number }[]; keepMs: number };
    // The look-back in force (42 candles of 4h) decides what is kept, and the cap holds whatever it says.
    expect(kept.keepMs).toBe(42 * H4);
    expect(kept.marks.length).toBeLessThanOrEqual(MAX_RISK_MARKS);
    expect(kept.marks.every((m) => m.close > Date.parse(scheduled(694)) - 42 * H4)).toBe(true);
    expect(itemBytes(after)).toBeLessThan(MAX_ITEM_BYTES / 3);
    expect(dec(String((after.balances as Record<string, unknown>).USDT)).gt(0)).toBe(true);
  }, 120_000);
});
