import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

/** Where a report goes: a bare file name into <data dir>/reports/, any other path as given. */
export function reportPath(file: string, dataDir: string): string {
  if (dirname(file) !== ".") return file;
  mkdirSync(join(dataDir, "reports"), { recursive: true });
  return join(dataDir, "reports", file);
}
