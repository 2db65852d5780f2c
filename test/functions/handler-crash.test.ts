import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { BUY, candles } from "../helpers/handler-harness.ts";
import { LocalStack } from "../helpers/local-stack.ts";
import { PROJECT_ROOT } from "../helpers/run-cli.ts";

let stack: LocalStack;
let event: Record<string, unknown>;
beforeAll(async () => {
  stack = await LocalStack.start();
  // The BUY candle is the one that just closed: the event is the one the schedule fires now.
  const scheduled = stack.serveUntil("BNBUSDT", "4h", candles, BUY);
  event = { symbol: "BNBUSDT", timeframe: "4h", scheduledTime: scheduled(BUY), accountId: "crash" };
}, 30_000);
afterAll(() => stack.close());

/** Invokes the handler in a child process; resolves with what it printed and how it ended. */
function invoke(killOnCommit: boolean): Promise<{ stdout: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["test/helpers/invoke-handler.ts", JSON.stringify(event)], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...stack.env(), POWERTOOLS_LOG_LEVEL: "SILENT" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    stack.dynamodbFaults.onTransactionCommitted = killOnCommit ? () => child.kill("SIGKILL") : undefined;
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.on("close", (_code, signal) => resolve({ stdout, signal }));
  });
}

describe("a function killed right after its commit", () => {
  it("sends the committed trade's alert once, on Lambda's retry", async () => {
    const killed = await invoke(true);
    expect(killed.signal).toBe("SIGKILL");
    const repository = new DynamoDbAccountRepository({
      client: stack.dynamodb.documentClient(),
      tableName: stack.tableName,
    });
    expect((await repository.listTrades("crash")).items).toHaveLength(1);
    expect(stack.sns.published).toEqual([]);

    const retry = await invoke(false);
    const line = retry.stdout.split("\n").find((l) => l.startsWith("RESULT ")) ?? "";
    const result = JSON.parse(line.slice("RESULT ".length)) as { status: string; alerts: unknown };
    expect(result).toMatchObject({ status: "duplicate", alerts: { sent: 1, failed: 0 } });
    expect(stack.sns.published.map((m) => m.subject)).toEqual([
      "BUY BNBUSDT 4h: 1.567 @ 638.13 USDT (paper)",
    ]);
    expect((await repository.listTrades("crash")).items).toHaveLength(1);
  }, 60_000);
});
