import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LOCAL_TABLE, openLocalStore } from "../../cli/local/local-store.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import type { CycleRecord, StoredTrade } from "../../shared/application/ports/account-repository.ts";
import { sumMovements } from "../../shared/domain/account/ledger.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { PROJECT_ROOT } from "../helpers/run-cli.ts";

const dataDir = mkdtempSync(join(tmpdir(), "crash-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Starts the writer, lets it commit `commits` cycles, then kills it with SIGKILL a moment later. */
function writeThenKill(commits: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["test/helpers/store-writer.ts", dataDir], {
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let seen = 0;
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.stdout.on("data", (chunk: Buffer) => {
      const before = seen;
      seen += chunk
        .toString("utf8")
        .split("\n")
        .filter((l) => l.startsWith("committed")).length;
      if (before < commits && seen >= commits) setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.on("close", (_code, signal) =>
      signal === "SIGKILL" ? resolve(seen) : reject(new Error(`the writer stopped by itself: ${stderr}`)),
    );
  });
}

async function readAll<T>(page: (cursor?: string) => Promise<{ items: T[]; cursor?: string }>) {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    all.push(...next.items);
    cursor = next.cursor;
  } while (cursor);
  return all;
}

describe("the persisted local store", () => {
  it("keeps every cycle whole or absent when the process is killed in the middle of commits", async () => {
    let printed = 0;
    for (const delay of [5, 12, 18, 24, 30, 36]) printed += await writeThenKill(15, delay);

    const store = await openLocalStore({ memory: false, dataDir });
    try {
      const repository = new DynamoDbAccountRepository({
        client: createDocumentClient(store.clientConfig),
        tableName: LOCAL_TABLE,
      });
      const cycles = await readAll<CycleRecord>((cursor) =>
        repository.cycleHistory("paper", "BNBUSDT", "4h", cursor ? { cursor } : {}),
      );
      const trades = await readAll<StoredTrade>((cursor) =>
        repository.listTrades("paper", cursor ? { cursor } : {}),
      );
      const state = await repository.loadState("paper");

      // Every cycle the writer was told had committed is there; none is there in part.
      expect(cycles.length).toBeGreaterThanOrEqual(printed);
      const tradesByCandle = new Map<number, number>();
      for (const t of trades) tradesByCandle.set(t.candleTime, (tradesByCandle.get(t.candleTime) ?? 0) + 1);
      expect(cycles.map((c) => tradesByCandle.get(c.candleTime))).toEqual(cycles.map(() => 10));
      expect(tradesByCandle.size).toBe(cycles.length);
      expect(state?.account.version).toBe(cycles.length);
      const movements = sumMovements(trades);
      expect(state?.account.balances.USDT?.toString()).toBe(
        dec("10000")
          .plus(movements.USDT ?? dec("0"))
          .toString(),
      );
    } finally {
      await store.close();
    }
  }, 60_000);
});
