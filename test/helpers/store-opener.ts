/**
 * A child process for the lock tests: opens the persisted local store as `npm start` does
 * (share), prints "opened" or the error's name, holds it for a moment, closes.
 * Usage: node test/helpers/store-opener.ts <data dir> <hold ms>
 */
import { openLocalStore } from "../../cli/local/local-store.ts";

try {
  const store = await openLocalStore({ memory: false, dataDir: process.argv[2] ?? ".data", share: true });
  process.stdout.write("opened\n");
  await new Promise((resolve) => setTimeout(resolve, Number(process.argv[3] ?? 1_000)));
  await store.close();
} catch (error) {
  process.stdout.write(`${(error as Error).name}\n`);
}
