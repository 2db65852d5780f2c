import { describe, expect, it } from "vitest";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { BUY, useHandler } from "../helpers/handler-harness.ts";

const h = useHandler();

/** Faults real DynamoDB produces and no emulator does, injected between the function and DynamoDB Local. */
describe("the trading cycle under DynamoDB's own faults", () => {
  it("retries a transaction cancelled by a TransactionConflict and commits exactly once", async () => {
    h.stack.dynamodbFaults.conflictTransactions = 2;
    const result = await h.handler(h.event(BUY));
    expect(result).toMatchObject({
      status: "ok",
      entry: { quantity: "1.567" },
      alerts: { sent: 1, failed: 0 },
    });
    expect(h.stack.dynamodbFaults.seen.get("TransactWriteItems")).toBe(3);
    expect((await h.repository.listTrades(h.accountId)).items).toHaveLength(1);
    expect((await h.repository.loadState(h.accountId))?.account.version).toBe(1);
    expect(h.stack.sns.published).toHaveLength(1);
  });

  it("retries a TransactionConflictException while opening the account", async () => {
    h.stack.dynamodbFaults.conflictPuts = 2;
    const result = await h.handler(h.event(BUY));
    expect(result.status).toBe("ok");
    expect(h.stack.dynamodbFaults.seen.get("PutItem")).toBe(3);
    expect((await h.repository.loadState(h.accountId))?.account.balances.USDT?.toString()).toBe(
      "8999.05034029",
    );
  });

  it("retries a TransactionConflict on queueing the failure alert: one failure alert", async () => {
    h.stack.binance.fail({ kind: "status", status: 503 }, 100);
    h.stack.dynamodbFaults.conflictTransactions = 2;
    const outcome = await h.run(h.event(BUY));
    const error = (outcome as { thrown: Error & { result?: CycleResult } }).thrown;
    expect(error.result?.error?.type).toBe("BinanceUnavailableError");
    expect(h.stack.dynamodbFaults.seen.get("TransactWriteItems")).toBe(3);
    expect(h.stack.sns.published.map((m) => m.attributes.event)).toEqual(["failure"]);
  });

  it("ends a commit whose response was lost in one committed cycle, with its alert sent", async () => {
    h.stack.dynamodbFaults.dropTransactionResponses = 1;
    const result = await h.handler(h.event(BUY));
    expect(result).toMatchObject({
      status: "ok",
      entry: { quantity: "1.567" },
      alerts: { sent: 1, failed: 0 },
    });
    // The SDK sent the transaction twice, with one ClientRequestToken; DynamoDB ran it once.
    expect(h.stack.dynamodbFaults.seen.get("TransactWriteItems")).toBe(2);
    expect((await h.repository.listTrades(h.accountId)).items).toHaveLength(1);
    expect((await h.repository.loadState(h.accountId))?.account.version).toBe(1);
    expect(h.stack.sns.published.map((m) => m.subject)).toEqual([
      "BUY BNBUSDT 4h: 1.567 @ 638.13 USDT (paper)",
    ]);
  });
});
