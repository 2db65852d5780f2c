import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

  async begin(images: ItemImage[]): Promise<void> {
    writeFileSync(`${this.#path}.tmp`, JSON.stringify(images));
    renameSync(`${this.#path}.tmp`, this.#path);
  }

  async end(): Promise<void> {
    rmSync(this.#path, { force: true });
  }

  /** Undoes the transaction a killed process left half-applied, if any. */
  async recover(call: Call): Promise<boolean> {
    rmSync(`${this.#path}.tmp`, { force: true });
    if (!existsSync(this.#path)) return false;
    await rollback(JSON.parse(readFileSync(this.#path, "utf8")) as ItemImage[], call);
    await this.end();
    return true;
  }
}
