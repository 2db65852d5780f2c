import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openLocalStore } from "../../cli/local/local-store.ts";
import { LOCK_FILE } from "../../cli/local/store-lock.ts";
import { startLocalDynamoDb } from "../../shared/adapters/dynamodb/local/local-dynamodb.ts";
import { StoreInUseError } from "../../shared/adapters/dynamodb/local/local-store-errors.ts";
import { PROJECT_ROOT, runCliAsync } from "../helpers/run-cli.ts";

const run = promisify(execFile);
const folder = () => mkdtempSync(join(tmpdir(), "store-lock-"));
const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"));
const writeLock = (dir: string, holder: Record<string, unknown>) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
};

describe("the local store's lock", () => {
  it("lets exactly one of several commands started together open the folder", async () => {
    const dir = folder();
    const open = () =>
      run(process.execPath, ["test/helpers/store-opener.ts", dir, "3000"], {
        cwd: PROJECT_ROOT,
        timeout: 30_000,
      });
    const outcomes = (await Promise.all([open(), open(), open()])).map((r) => r.stdout.trim());
    expect(outcomes.filter((o) => o === "opened")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "AlreadyRunningError")).toHaveLength(2);
  }, 60_000);

  it("takes over a lock whose pid is dead, or reused by another program (its endpoint does not answer its nonce)", async () => {
    for (const stale of [
      { pid: 2 ** 22 + 12_345, startedAt: "2026-01-01T00:00:00.000Z", nonce: "dead" },
      // A live pid (this test's parent) with an endpoint that is not its store.
      {
        pid: process.ppid,
        startedAt: "2026-01-01T00:00:00.000Z",
        nonce: "reused",
        endpoint: "http://127.0.0.1:9",
      },
    ]) {
      const dir = folder();
      writeLock(dir, stale);
      const store = await openLocalStore({ memory: false, dataDir: dir, share: true });
      try {
        expect(lockOf(dir)).toMatchObject({ pid: process.pid, endpoint: store.endpoint });
        expect(lockOf(dir).nonce).not.toBe(stale.nonce);
      } finally {
        await store.close();
      }
    }
  }, 60_000);

  it("does not take a live holder's store for its own when another process answers another nonce there", async () => {
    const dir = folder();
    const other = await startLocalDynamoDb({ identity: "someone-else" });
    try {
      writeLock(dir, {
        pid: process.ppid,
        startedAt: new Date().toISOString(),
        nonce: "mine",
        endpoint: other.endpoint,
      });
      const store = await openLocalStore({ memory: false, dataDir: dir });
      try {
        expect(store.endpoint).not.toBe(other.endpoint); // stale: opened the folder itself
      } finally {
        await store.close();
      }
    } finally {
      await other.close();
    }
  }, 60_000);

  it("reports the engine's own lock as already running, not 'Database is not open'", async () => {
    const dir = folder();
    const held = await startLocalDynamoDb({ path: dir });
    try {
      const error = await startLocalDynamoDb({ path: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreInUseError);
      expect((error as Error).message).toContain(`the store in ${dir} is in use by another process`);
    } finally {
      await held.close();
    }
  }, 60_000);

  it("names a corrupt lock file and what to do, exits non-zero, no stack trace", async () => {
    const dir = folder();
    await (await openLocalStore({ memory: false, dataDir: dir })).close(); // a store that exists
    writeFileSync(join(dir, LOCK_FILE), "{not json");
    const status = await runCliAsync("status", ["--data-dir", dir], {});
    expect(status.status).not.toBe(0);
    expect(status.stderr).toContain(`the lock file ${join(dir, LOCK_FILE)} cannot be read`);
    expect(status.stderr).toContain("remove it and start again");
    expect(status.stderr).not.toContain("    at ");
  }, 60_000);

  it("names a corrupt transaction journal and what to do, and ends instead of hanging", async () => {
    const dir = folder();
    const first = await openLocalStore({ memory: false, dataDir: dir });
    await first.close();
    writeFileSync(join(dir, "dynamodb", "transaction.journal"), "[{half");
    const status = await runCliAsync("status", ["--data-dir", dir], {});
    expect(status.status).not.toBe(0);
    expect(status.stderr).toContain(
      `the store's transaction journal ${join(dir, "dynamodb", "transaction.journal")} cannot be read`,
    );
    expect(status.stderr).toContain("move the file away to start");
    expect(status.stderr).not.toContain("    at ");
    // The lock was given back: after moving the journal away, the folder opens.
    writeFileSync(join(dir, "dynamodb", "transaction.journal"), "[]");
    const again = await openLocalStore({ memory: false, dataDir: dir });
    await again.close();
  }, 60_000);

  it("refuses a lock that is not a file (a FIFO, a link to /dev/zero) in one line, instead of hanging", async () => {
    for (const make of [
      (path: string) => execFileSync("mkfifo", [path]),
      (path: string) => symlinkSync("/dev/zero", path),
    ]) {
      const dir = folder();
      await (await openLocalStore({ memory: false, dataDir: dir })).close();
      make(join(dir, LOCK_FILE));
      const status = await runCliAsync("status", ["--data-dir", dir], {});
      expect(status.status).not.toBe(0);
      expect(status.stderr).toMatch(
        new RegExp(
          `the lock file ${join(dir, LOCK_FILE)} is (not a regular file|a symbolic link): if no npm start runs on this folder, remove it and start again`,
        ),
      );
      expect(status.stderr).not.toContain("    at ");
    }
  }, 60_000);

  it("takes a lock whose start time is in the future (and no endpoint) for stale, not for a holder starting forever", async () => {
    const dir = folder();
    writeLock(dir, { pid: process.ppid, startedAt: "2999-01-01T00:00:00.000Z", nonce: "future" });
    const store = await openLocalStore({ memory: false, dataDir: dir, share: true });
    try {
      expect(lockOf(dir)).toMatchObject({ pid: process.pid, endpoint: store.endpoint, serves: true });
    } finally {
      await store.close();
    }
  }, 60_000);
});
