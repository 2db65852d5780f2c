import { randomUUID } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, join } from "node:path";
import { IDENTITY_PATH } from "../../shared/adapters/dynamodb/local/local-dynamodb.ts";
import { CorruptStoreError } from "../../shared/adapters/dynamodb/local/local-store-errors.ts";

/** Who holds a data folder's store: written atomically, before the store is opened. */
export interface LockHolder {
  readonly pid: number;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  /** Unique to this holding; its store's endpoint answers it, so a reused pid is not taken for the holder. */
  readonly nonce: string;
  /** The store's endpoint, once it listens (other commands use the store through it). */
  readonly endpoint?: string;
  /** The command holding it, for people ("npm start", "npm run status"). */
  readonly command?: string;
  /**
   * The holder serves its store to other commands while it runs (npm start); false: a short
   * command, which others wait for (its store closes when it exits). Absent (older versions): serves.
   */
  readonly serves?: boolean;
}

/** This process's command as people typed it. */
function commandName(): string {
  const script = basename(process.argv[1] ?? "", ".ts");
  return script === "start" ? "npm start" : script ? `npm run ${script}` : "a command";
}

/** A holder still starting (no endpoint yet) counts as alive this long. */
const STARTING_MS = 60_000;
export const LOCK_FILE = "store.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** Writes `holder` to `path` whole (temporary file, synced), then links it into place: fails if one is there. */
function createExclusive(path: string, holder: LockHolder): boolean {
  const tmp = `${path}.${holder.nonce}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, JSON.stringify(holder));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path); // atomic, and refused when the lock exists
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** A lock file holds a few hundred bytes: anything larger is not one. */
const MAX_LOCK_BYTES = 4_096;

/** The lock's holder as written, or CorruptStoreError naming the file and what to do. */
function readHolder(path: string): LockHolder | undefined {
  let stat: Stats;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw error;
  }
  // A FIFO, a device or a link (to /dev/zero, say) would hang or flood the read: refused, named.
  if (!stat.isFile() || stat.size > MAX_LOCK_BYTES)
    throw new CorruptStoreError(
      `the lock file ${path} is ${stat.isSymbolicLink() ? "a symbolic link" : stat.isFile() ? `${stat.size.toLocaleString("en")} bytes, not a lock` : "not a regular file"}: if no npm start runs on this folder, remove it and start again`,
    );
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
    if (!Number.isSafeInteger(holder.pid) || typeof holder.nonce !== "string")
      throw new Error("no pid and nonce");
    return holder;
  } catch (error) {
    throw new CorruptStoreError(
      `the lock file ${path} cannot be read (${(error as Error).message}): if no npm start runs on this folder, remove it and start again`,
    );
  }
}

/** True when the holder runs: its pid lives and its endpoint answers its nonce (or it is still starting). */
async function holderAlive(holder: LockHolder, now = Date.now()): Promise<boolean> {
  if (holder.pid === process.pid || !alive(holder.pid)) return false;
  if (!holder.endpoint) {
    // Starting for less than a minute; a start time in the future (or unreadable) is implausible: stale.
    const since = now - Date.parse(holder.startedAt);
    return since >= -5_000 && since < STARTING_MS;
  }
  try {
    const response = await fetch(`${holder.endpoint}${IDENTITY_PATH}`, {
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok && (await response.text()) === holder.nonce;
  } catch {
    return false;
  }
}

/**
 * The data folder's lock, taken before the store is opened: atomically (two commands started
 * together cannot both get it), with the holder's pid, start time and a nonce. A lock whose holder
 * is gone (a dead pid, a pid reused by another program, an endpoint that answers another nonce) is
 * taken over.
 */
export class StoreLock {
  readonly path: string;
  #holder: LockHolder;

  private constructor(path: string, holder: LockHolder) {
    this.path = path;
    this.#holder = holder;
  }

  /** The lock, or the running holder that has it. */
  static async acquire(dataDir: string, serves = true): Promise<StoreLock | { held: LockHolder }> {
    const path = join(dataDir, LOCK_FILE);
    const mine: LockHolder = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      nonce: randomUUID(),
      command: commandName(),
      serves,
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (createExclusive(path, mine)) return new StoreLock(path, mine);
      const holder = readHolder(path);
      if (!holder) continue; // released meanwhile
      if (await holderAlive(holder)) return { held: holder };
      // A stale lock: removed only if it is still the one found (another command may have taken it over).
      if (readHolder(path)?.nonce === holder.nonce) rmSync(path, { force: true });
    }
    const holder = readHolder(path);
    if (holder) return { held: holder };
    throw new CorruptStoreError(
      `could not take the lock ${path}: remove it if no npm start runs, and start again`,
    );
  }

  get nonce(): string {
    return this.#holder.nonce;
  }

  /** Says where the store listens (written whole, renamed over the lock). */
  publish(endpoint: string): void {
    this.#holder = { ...this.#holder, endpoint };
    const tmp = `${this.path}.${this.#holder.nonce}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.#holder));
    renameSync(tmp, this.path);
  }

  /** Gives the lock up, if it is still ours. */
  release(): void {
    try {
      if (readHolder(this.path)?.nonce === this.#holder.nonce) rmSync(this.path, { force: true });
    } catch {
      // A corrupt lock is not ours to remove.
    }
  }
}
