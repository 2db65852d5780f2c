import { describe, expect, it } from "vitest";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { BUY, useHandler } from "../helpers/handler-harness.ts";

const h = useHandler();
const subjects = () => h.stack.sns.published.map((m) => m.subject);
const ENTRY = "BUY BNBUSDT 4h: 1.567 @ 638.13 USDT (paper)";
const thrownResult = (outcome: unknown) => (outcome as { thrown: Error & { result?: CycleResult } }).thrown;

describe("alerts: at least once, never lost, never doubled (the outbox)", () => {
  it("keeps the alert of a committed trade when SNS is down, and sends it once on the next delivery", async () => {
    h.stack.sns.down = true;
    const first = await h.handler(h.event(BUY), h.context());
    expect(first).toMatchObject({
      status: "ok",
      entry: { quantity: "1.567" },
      alerts: { sent: 0, failed: 1 },
    });
    expect(subjects()).toEqual([]);
    h.stack.sns.down = false;
    const retry = await h.handler(h.event(BUY), h.context()); // Lambda's retry of the same event
    expect(retry).toMatchObject({ status: "duplicate", alerts: { sent: 1, failed: 0 } });
    const again = await h.handler(h.event(BUY), h.context());
    expect(again.alerts).toEqual({ sent: 0, failed: 0 });
    expect(subjects()).toEqual([ENTRY]);
    expect(h.stack.sns.published[0]?.attributes.alertId).toMatch(
      new RegExp(`^${h.accountId}/BNBUSDT/4h/.+/entry$`),
    );
  });

  it("sends what is pending with the account's next cycle, oldest first", async () => {
    h.stack.sns.down = true;
    await h.handler(h.event(BUY), h.context());
    h.stack.binance.fail({ kind: "status", status: 503 }, 100);
    await h.run(h.event(BUY + 1), h.context());
    h.stack.binance.clearFaults();
    h.stack.sns.down = false;
    const next = await h.handler(h.event(BUY + 2), h.context());
    expect(next.alerts).toEqual({ sent: 2, failed: 0 });
    expect(h.stack.sns.published.map((m) => m.attributes.event)).toEqual(["entry", "failure"]);
  });

  it("ends the cycle in time when SNS hangs, and the alert goes out once later", async () => {
    h.stack.sns.hang = true;
    const started = performance.now();
    const result = await h.handler(h.event(BUY), h.context(40_000));
    const took = performance.now() - started;
    expect(result).toMatchObject({ status: "ok", alerts: { sent: 0, failed: 1 } });
    expect(took).toBeLessThan(20_000); // under half the function's timeout
    expect((await h.repository.listTrades(h.accountId)).items).toHaveLength(1);
    h.stack.sns.hang = false;
    const next = await h.handler(h.event(BUY + 1), h.context());
    expect(next.alerts).toEqual({ sent: 1, failed: 0 });
    expect(subjects()).toEqual([ENTRY]);
  }, 30_000);
});

describe("one deadline per cycle", () => {
  it("fails a cycle that runs out of the invocation's time, with its failure alert, before Lambda would kill it", async () => {
    h.stack.binance.fail({ kind: "slow", delayMs: 8_000 }, 100);
    const started = performance.now();
    const outcome = await h.run(h.event(BUY), h.context(11_000)); // 1 s of work, then 8 s of reserve
    const took = performance.now() - started;
    const error = thrownResult(outcome);
    expect(error.result?.error?.type).toBe("DeadlineExceededError");
    expect(error.result?.error?.retryable).toBe(true);
    expect(took).toBeLessThan(11_000); // before Lambda would have killed it
    expect(h.stack.sns.published.map((m) => m.attributes.event)).toEqual(["failure"]);
    expect(h.stack.sns.published[0]?.message).toContain("ran out of time");
    expect(await h.repository.loadState(h.accountId)).toBeUndefined();
  }, 30_000);

  it("ends a cycle on a DynamoDB throttled throughout before Lambda's timeout", async () => {
    h.stack.dynamodbFaults.throttle = 10_000;
    const started = performance.now();
    const outcome = await h.run(h.event(BUY), h.context(14_000)); // 4 s of work, then 8 s of reserve
    const took = performance.now() - started;
    h.stack.dynamodbFaults.throttle = 0;
    expect(thrownResult(outcome).result?.error?.type).toBe("DeadlineExceededError");
    expect(took).toBeLessThan(14_000); // before Lambda would have killed it
    // The store is down: the failure alert went out directly.
    expect(h.stack.sns.published.map((m) => m.attributes.event)).toEqual(["failure"]);
  }, 30_000);
});
