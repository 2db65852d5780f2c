import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { BNBUSDT_INFO } from "../../cli/stand-ins/binance-stand-in.ts";
import { keys } from "../../shared/adapters/dynamodb/table-definition.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { BUY, SELL, STOPPED, useHandler } from "../helpers/handler-harness.ts";
import { TOPIC_ARN } from "../helpers/local-stack.ts";

const h = useHandler();

describe("the trading-cycle handler", () => {
  it("opens a position on the BUY window, commits it and alerts once", async () => {
    const result = await h.handler(h.event(BUY));
    expect(result).toMatchObject({
      status: "ok",
      dryRun: false,
      candle: { openTime: expect.any(String), close: 638.13 },
      signal: { action: "BUY", trend: "UPTREND", confirmations: ["RSI_BULLISH_DIVERGENCE", "VOLUME_SPIKE"] },
      entry: { side: "BUY", quantity: "1.567", price: "638.13", fee: "0.99994971", reason: "entry" },
      position: { quantity: "1.567", stopLoss: "606.97", takeProfit1: "760.65", takeProfit2: "870.1" },
      account: { usdtFree: "8999.05034029" },
      alerts: { sent: 1, failed: 0 },
      exits: [],
    });
    const state = await h.repository.loadState(h.accountId);
    expect(state?.account.balances.USDT?.toString()).toBe("8999.05034029");
    expect(state?.account.balances.BNB?.toString()).toBe("1.567");
    expect(h.stack.sns.published).toHaveLength(1);
    const alert = h.stack.sns.published[0];
    expect(alert?.topicArn).toBe(TOPIC_ARN);
    expect(alert?.attributes).toEqual({
      event: "entry",
      symbol: "BNBUSDT",
      timeframe: "4h",
      action: "BUY",
      alertId: `${h.accountId}/BNBUSDT/4h/${new Date(Date.parse(h.scheduled(BUY)) - 4 * 3_600_000).toISOString()}/entry`,
    });
    expect(alert?.subject).toBe("BUY BNBUSDT 4h: 1.567 @ 638.13 USDT (paper)");
    expect(alert?.message).toContain("Stop loss: 606.97");
    expect(alert?.message).toMatch(/Candle closed: \d{4}-\d\d-\d\d \d\d:00 UTC/);
  });

  it("answers a second delivery with the recorded outcome: one trade, one alert", async () => {
    const first = await h.handler(h.event(BUY));
    const second = await h.handler(h.event(BUY));
    expect(second.status).toBe("duplicate");
    expect(second.entry).toEqual(first.entry);
    expect((await h.repository.listTrades(h.accountId)).items).toHaveLength(1);
    expect(h.stack.sns.published).toHaveLength(1);
  });

  it("commits once when 50 copies of the event arrive at once", async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => h.handler(h.event(BUY))));
    expect(results.filter((r) => r.status === "ok")).toHaveLength(1);
    expect(results.filter((r) => r.status === "duplicate")).toHaveLength(49);
    expect((await h.repository.listTrades(h.accountId)).items).toHaveLength(1);
    expect(h.stack.sns.published).toHaveLength(1);
    expect((await h.repository.loadState(h.accountId))?.account.balances.USDT?.toString()).toBe(
      "8999.05034029",
    );
  });

  it("lets cycles of two symbols race for one account: the loser reads again, decides again, and both trade", async () => {
    h.stack.binance.serve("ETHUSDT", "4h", h.stack.binance.servedCandles("BNBUSDT", "4h"), {
      ...BNBUSDT_INFO,
      baseAsset: "ETH",
    });
    const [bnb, eth] = await Promise.all([
      h.handler(h.event(BUY)),
      h.handler({ ...h.event(BUY), symbol: "ETHUSDT" }),
    ]);
    expect([bnb.status, eth.status]).toEqual(["ok", "ok"]);
    // The first stake is 10 % of 10,000; the second 10 % of the equity after the first fee, 9,999.00.
    expect([bnb.entry?.quantity, eth.entry?.quantity].sort()).toEqual(["1.566", "1.567"]);
    const state = await h.repository.loadState(h.accountId);
    expect(state?.positions.map((p) => p.symbol).sort()).toEqual(["BNBUSDT", "ETHUSDT"]);
    expect(state?.account.version).toBe(2);
    expect(state?.account.balances.USDT?.toString()).toBe("7998.73944871");
  });

  it("dry-runs the decision without writing or alerting", async () => {
    const result = await h.handler(h.event(BUY, { dryRun: true }));
    expect(result).toMatchObject({
      status: "ok",
      dryRun: true,
      entry: { quantity: "1.567", fee: "0.99994971" },
    });
    expect(await h.repository.loadState(h.accountId)).toBeUndefined();
    expect(await h.repository.findCycle(h.accountId, "BNBUSDT", "4h", h.openTime(BUY))).toBeUndefined();
    expect(h.stack.sns.published).toEqual([]);
  });

  it("asks Binance for the exchange filters only when there is something to size: a BUY, or a position", async () => {
    const calls = (path: string) => h.stack.binance.requestsTo(path).length;
    const [klines, info] = [calls("/api/v3/klines"), calls("/api/v3/exchangeInfo")];
    await h.handler(h.event(BUY - 1)); // HOLD, no position: one candles call (2 weight), nothing else
    expect([calls("/api/v3/klines") - klines, calls("/api/v3/exchangeInfo") - info]).toEqual([1, 0]);
    // The entry is sized with the symbol's filters (kept 10 minutes by the container: maybe read before).
    expect((await h.handler(h.event(BUY))).entry?.quantity).toBe("1.567");
    const afterBuy = calls("/api/v3/exchangeInfo");
    await h.handler(h.event(BUY + 1)); // the open position is managed with them, read again 4 h later
    expect(calls("/api/v3/exchangeInfo") - afterBuy).toBe(1);
    expect(calls("/api/v3/klines") - klines).toBe(3);
    // Each record keeps the filters its cycle sized with (for `npm run report`), or none.
    const record = (k: number) => h.repository.findCycle(h.accountId, "BNBUSDT", "4h", h.openTime(k));
    expect((await record(BUY - 1))?.filters).toBeUndefined();
    expect((await record(BUY))?.filters).toMatchObject({
      symbol: "BNBUSDT",
      stepSize: BNBUSDT_INFO.stepSize,
    });
    expect((await record(BUY + 1))?.filters).toMatchObject({ tickSize: BNBUSDT_INFO.tickSize });
  });

  it("reports the SELL window and sells nothing when no position is open", async () => {
    const result = await h.handler(h.event(SELL));
    expect(result.signal?.action).toBe("SELL");
    expect([result.exits, result.entry, result.position]).toEqual([[], null, null]);
    expect(h.stack.sns.published).toEqual([]);
  });

  it("drives a position through later candles, and a missed stretch catches up on the stop", async () => {
    await h.handler(h.event(BUY));
    for (let k = BUY + 1; k <= BUY + 3; k++) {
      const held = await h.handler(h.event(k));
      expect([held.status, held.exits, held.position?.quantity]).toEqual(["ok", [], "1.567"]);
    }
    // The cycles of the next 200 candles never ran; the one for the stop's candle catches up.
    const result = await h.handler(h.event(STOPPED));
    expect(result.exits).toEqual([
      {
        side: "SELL",
        quantity: "1.567",
        price: "606.97",
        quoteAmount: "951.12199",
        fee: "0.95112199",
        reason: "stop",
        candle: new Date(Date.parse(h.scheduled(STOPPED)) - 4 * 3_600_000).toISOString(),
        realizedPnl: "-49.77884199",
      },
    ]);
    expect(result.position).toBeNull();
    const state = await h.repository.loadState(h.accountId);
    expect(state?.account.balances.USDT?.toString()).toBe("9949.2212083");
    expect(state?.account.balances.BNB?.toString()).toBe("0");
    expect(state?.positions).toEqual([]);
    const exit = h.stack.sns.published.at(-1);
    expect(exit?.attributes).toEqual({
      event: "exit",
      symbol: "BNBUSDT",
      timeframe: "4h",
      action: "SELL",
      alertId: expect.stringMatching(new RegExp(`^${h.accountId}/BNBUSDT/4h/.+/exit-0$`)),
    });
    expect(exit?.subject).toBe("SELL BNBUSDT 4h (stop loss): -49.78 USDT (-4.98 %)");
    // One time convention: the SELL's candle by its close, as the BUY's.
    const closed = new Date(h.openTime(STOPPED) + 4 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
    expect(exit?.message).toContain(`Candle closed: ${closed} UTC`);
    expect(exit?.message).not.toContain(" open;");
  });

  it("fails cleanly when Binance is down: failed status, one failure alert across retries, nothing written", async () => {
    h.stack.binance.fail({ kind: "status", status: 503 }, 100);
    const first = await h.run(h.event(BUY));
    const retry = await h.run(h.event(BUY));
    h.stack.binance.clearFaults();
    for (const outcome of [first, retry]) {
      expect(outcome).toHaveProperty("thrown");
      const error = (outcome as { thrown: Error & { result?: CycleResult } }).thrown;
      expect(error.name).toBe("CycleFailedError");
      expect(error.result?.status).toBe("failed");
      expect(error.result?.error?.type).toBe("BinanceUnavailableError");
    }
    expect(h.stack.sns.published).toHaveLength(1);
    expect(h.stack.sns.published[0]?.attributes.event).toBe("failure");
    expect(h.stack.sns.published[0]?.subject).toBe("FAILED BNBUSDT 4h cycle: BinanceUnavailableError");
    expect(await h.repository.loadState(h.accountId)).toBeUndefined();
  });

  it("keeps the trade when SNS is down, and counts the failed alert", async () => {
    h.stack.sns.down = true;
    const result = await h.handler(h.event(BUY));
    const writes = h.printed;
    expect(result.status).toBe("ok");
    expect(result.alerts).toEqual({ sent: 0, failed: 1 });
    expect((await h.repository.listTrades(h.accountId)).items).toHaveLength(1);
    const emf = writes
      .flatMap((w) => w.split("\n"))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));
    const names = emf.flatMap((m) =>
      m._aws.CloudWatchMetrics[0].Metrics.map((x: { Name: string }) => x.Name),
    );
    expect(names).toEqual(
      expect.arrayContaining(["CyclesSucceeded", "Fills", "AlertFailures", "CloseToCycleEndDelay"]),
    );
    expect(emf.every((m) => m._aws.CloudWatchMetrics[0].Namespace === "FibonacciPaperTraderTest")).toBe(true);
    expect(emf.find((m) => m.Fills !== undefined)?.Fills).toBe(1);
    // Per-pair detail (the signal, the fills) is in the log line, not in metric dimensions.
    const logs = writes.flatMap((w) => w.split("\n")).filter((l) => l.includes('"message":"Cycle finished"'));
    expect(JSON.parse(logs[0] ?? "{}")).toMatchObject({
      symbol: "BNBUSDT",
      timeframe: "4h",
      candle: expect.any(String),
      result: { signal: { action: "BUY" }, entry: { quantity: "1.567" } },
    });
  });

  it.each([
    [{ symbol: "BNBUSDT", timeframe: "4h", dryrun: true }, 'unknown field(s) "dryrun"'],
    [{ symbol: "bnb", timeframe: "4h" }, "symbol must be a Binance symbol"],
    [{ symbol: "BNBUSDT", timeframe: "5h" }, "timeframe must be one of 15m, 30m, 1h"],
    [{ symbol: "BNBUSDT", timeframe: "4h", dryRun: "yes" }, "dryRun must be true or false"],
    ["BNBUSDT", "the event must be a JSON object"],
  ])("rejects an invalid event without retrying or writing (%#)", async (bad, message) => {
    const result = await h.handler(typeof bad === "object" ? { ...bad, accountId: h.accountId } : bad);
    expect(result.status).toBe("failed");
    expect(result.error?.type).toBe("InvalidRequestError");
    expect(result.error?.message).toContain(message);
    expect(await h.repository.loadState(h.accountId)).toBeUndefined();
    expect(h.stack.sns.published).toEqual([]);
  });

  it("echoes a huge invalid input in at most about 100 characters, and logs the event bounded", async () => {
    const huge = "X".repeat(1_000_000);
    const before = h.printed.length;
    const result = await h.handler({ symbol: huge, timeframe: huge, accountId: h.accountId });
    expect(result.error?.type).toBe("InvalidRequestError");
    expect(result.error?.message.length).toBeLessThan(250);
    expect(result.error?.message).toContain("more characters cut]");
    expect(JSON.stringify(result).length).toBeLessThan(1_000);
    const printed = h.printed.slice(before).join("");
    expect(printed).toContain("Invalid cycle request");
    expect(printed.length).toBeLessThan(10_000);
  });

  it("answers an event nested 20,000 levels deep as an invalid event (no RangeError out of the handler)", async () => {
    let deep: unknown = "x";
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    for (const event of [
      deep,
      { symbol: "BNBUSDT", timeframe: "4h", strategy: deep, accountId: h.accountId },
    ]) {
      const outcome = await h.run(event, h.context());
      expect(outcome).not.toHaveProperty("thrown");
      expect(outcome).toMatchObject({
        status: "failed",
        error: { type: "InvalidRequestError", retryable: false },
      });
    }
    expect(h.printed.join("")).toContain("too deeply nested or cyclic to print");
  });

  it("answers a manual dry run that failed for a retryable reason, never throws it (no Lambda error, no alarm)", async () => {
    h.stack.binance.fail({ kind: "status", status: 503 }, 100);
    const outcome = await h.run(h.event(BUY, { dryRun: true }), h.context());
    h.stack.binance.clearFaults();
    expect(outcome).not.toHaveProperty("thrown");
    expect(outcome).toMatchObject({
      status: "failed",
      dryRun: true,
      error: { type: "BinanceUnavailableError", retryable: true },
    });
  });

  it("records the cycle with a TTL counted from when it was written", async () => {
    await h.handler(h.event(BUY + 1));
    const writtenAt = Date.now();
    const client = h.stack.dynamodb.documentClient();
    const time = Date.parse(h.scheduled(BUY + 1)) - 4 * 3_600_000;
    const item = await client.send(
      new GetCommand({ TableName: h.stack.tableName, Key: keys.cycle(h.accountId, "BNBUSDT", "4h", time) }),
    );
    expect(item.Item?.action).toBe("HOLD");
    expect(Number(item.Item?.expiresAt.value)).toBe(Math.floor(writtenAt / 1000) + 90 * 86_400);
  });
});
