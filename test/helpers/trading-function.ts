import { afterAll, beforeAll, vi } from "vitest";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { LocalStack } from "./local-stack.ts";

/**
 * The trading function against local servers for a describe block: DynamoDB Local and the Binance
 * stand-in (`serve` puts the candles it serves), the function's environment with `settings` as
 * TRADING_BOT, its output kept off the test's, and a fake Date both the function and the stand-in
 * read (set it with vi.setSystemTime). `handler()` imports the function afresh, as a new container.
 */
export function useTradingFunction(settings: unknown, serve: (stack: LocalStack) => void) {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, "write").mockImplementation(() => true);
    const started = await LocalStack.start();
    stack = started;
    serve(started);
    vi.useFakeTimers({ toFake: ["Date"] });
    started.binance.now = () => Date.now();
    Object.assign(process.env, started.env(), { TRADING_BOT: JSON.stringify(settings) });
  }, 30_000);
  afterAll(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    await stack?.close();
  });
  return {
    get stack(): LocalStack {
      if (!stack) throw new Error("the local stack is not started (use it inside a test)");
      return stack;
    },
    async handler(): Promise<(event: unknown) => Promise<CycleResult>> {
      vi.resetModules();
      const fn = (await import("../../functions/trading-cycle/handler.ts")) as unknown as {
        handler: (event: unknown) => Promise<CycleResult>;
      };
      return fn.handler;
    },
  };
}
