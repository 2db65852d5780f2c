import { afterAll, beforeAll, beforeEach, vi } from "vitest";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { DynamoDbAlertOutbox } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { fixtureCandles } from "./fixtures.ts";
import { LocalStack } from "./local-stack.ts";

export const candles = fixtureCandles("BNBUSDT-4h");
export const BUY = 826; // window ending 2025-05-18 16:00 UTC
export const SELL = 606; // window ending 2025-04-12 00:00 UTC
export const STOPPED = 1035; // 2025-06-22 12:00 UTC: the low reaches the stop 606.97

/** What a handler test works with; filled in by the hooks `useHandler` registers. */
export class Harness {
  stack!: LocalStack;
  scheduled!: (index: number) => string;
  handler!: (event: unknown, context?: unknown) => Promise<CycleResult>;
  repository!: DynamoDbAccountRepository;
  outbox!: DynamoDbAlertOutbox;
  /** What the function printed (logs and EMF metrics), kept off the test output. */
  readonly printed: string[] = [];
  /** A fresh account per test. */
  accountId = "";

  /**
   * The scheduled event for candle `index`, the clock set to just after that candle's close, as
   * when the schedule fires (the function and the Binance test server read the same clock).
   */
  event(index: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
    vi.setSystemTime(Date.parse(this.scheduled(index)) + 5_000);
    return {
      symbol: "BNBUSDT",
      timeframe: "4h",
      scheduledTime: this.scheduled(index),
      accountId: this.accountId,
      ...extra,
    };
  }

  /** The open time, as served, of candle `index` (the fixture's candles are moved to end now). */
  openTime(index: number): number {
    return Date.parse(this.scheduled(index)) - 4 * 3_600_000;
  }

  /** A Lambda context with `remainingMs` left of the invocation (the deployed timeout is 40 s). */
  context(remainingMs = 40_000) {
    const end = performance.now() + remainingMs;
    return {
      functionName: "trading-cycle",
      functionVersion: "$LATEST",
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:trading-cycle",
      memoryLimitInMB: "256",
      awsRequestId: "test-request",
      getRemainingTimeInMillis: () => Math.max(0, Math.round(end - performance.now())),
    };
  }

  /** The handler's result, or what it threw. */
  run(
    event: unknown,
    context?: unknown,
  ): Promise<CycleResult | { thrown: Error & { result?: CycleResult } }> {
    return this.handler(event, context).catch((error: Error & { result?: CycleResult }) => ({
      thrown: error,
    }));
  }
}

/**
 * The trading-cycle handler, imported in this test file with the deployed environment pointed at
 * the local servers (Binance test server serving the 4h fixture up to just after the stop,
 * DynamoDB Local behind the fault proxy, SNS endpoint); faults are cleared before each test.
 * `Date` is faked (timers stay real), so that each event is the one that just fired.
 */
export function useHandler(): Harness {
  let account = 0;
  const h = new Harness();
  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk) => {
        h.printed.push(String(chunk));
        return true;
      });
    }
    h.stack = await LocalStack.start();
    h.scheduled = h.stack.serveUntil("BNBUSDT", "4h", candles, STOPPED + 5);
    vi.useFakeTimers({ toFake: ["Date"] });
    h.stack.binance.now = () => Date.now();
    Object.assign(process.env, h.stack.env());
    ({ handler: h.handler } = (await import("../../functions/trading-cycle/handler.ts")) as never);
    const table = { client: h.stack.dynamodb.documentClient(), tableName: h.stack.tableName };
    h.repository = new DynamoDbAccountRepository(table);
    h.outbox = new DynamoDbAlertOutbox(table);
  }, 30_000);
  afterAll(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    await h.stack.close();
  });
  beforeEach(() => {
    h.accountId = `acct${++account}`;
    h.stack.sns.published.length = 0;
    h.stack.sns.down = false;
    h.stack.sns.hang = false;
    h.stack.binance.clearFaults();
    h.stack.dynamodbFaults.reset();
    h.printed.length = 0;
  });
  return h;
}
