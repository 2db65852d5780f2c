import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { CorruptStoreError } from "./local-store-errors.ts";
import { type Call, type ItemImage, rollback, type TransactionJournal } from "./transact-write.ts";

/**
 * The persisted store's transaction journal: before a transaction writes anything, the images of
 * its items go to `transaction.journal` (written whole, then renamed into place); it is removed
 * once the transaction has committed or rolled back. A process killed in between leaves it
 * behind, and the next start puts the items back as they were: a transaction is whole or absent.
 */
export class FileJournal implements TransactionJournal {
  readonly #path: string;

  constructor(folder: string) {
    this.#path = join(folder, "transaction.journal");
  }

  /** Written, synced to disk, then renamed into place (and the folder synced): a crash leaves it whole or absent. */
  async begin(images: ItemImage[]): Promise<void> {
    const fd = openSync(`${this.#path}.tmp`, "w");
    try {
      writeSync(fd, JSON.stringify(images));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(`${this.#path}.tmp`, this.#path);
    syncFolder(dirname(this.#path));
  }

  async end(): Promise<void> {
    rmSync(this.#path, { force: true });
  }

  /** Undoes the transaction a killed process left half-applied, if any. */
  async recover(call: Call): Promise<boolean> {
    rmSync(`${this.#path}.tmp`, { force: true });
    if (!existsSync(this.#path)) return false;
    let images: ItemImage[];
    try {
      images = JSON.parse(readFileSync(this.#path, "utf8")) as ItemImage[];
      if (!Array.isArray(images)) throw new Error("not a list of item images");
    } catch (error) {
      throw new CorruptStoreError(
        `the store's transaction journal ${this.#path} cannot be read (${(error as Error).message}): a transaction was cut short and cannot be undone from it; move the file away to start (that transaction may then be half-applied: check npm run status), or restore the folder from a backup`,
      );
    }
    await rollback(images, call);
    await this.end();
    return true;
  }
}

/** Syncs a folder's entries (a rename) to disk, where the platform allows it. */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot open a folder for syncing; the rename is still atomic.
  }
}
