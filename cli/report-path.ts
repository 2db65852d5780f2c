import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "./cli-errors.ts";

/**
 * Where a report goes: a bare file name into <data dir>/reports/, any other path as given. Checked
 * before any work is done (`flag` names it): its folder exists and can be written, and it is not
 * a folder itself; a mistake is a usage error, so a long search is never run for a page it
 * cannot write.
 */
export function reportPath(file: string, dataDir: string, flag = "--html"): string {
  let path = file;
  if (dirname(file) === ".") {
    mkdirSync(join(dataDir, "reports"), { recursive: true });
    path = join(dataDir, "reports", file);
  }
  const folder = dirname(path);
  const kind = (p: string) => {
    try {
      return statSync(p).isDirectory() ? "folder" : "file";
    } catch {
      return "none";
    }
  };
  if (kind(folder) !== "folder")
    throw new UsageError(`${flag} ${file}: the folder ${folder} does not exist; create it, or name another`);
  if (kind(path) === "folder")
    throw new UsageError(`${flag} ${file}: ${path} is a folder; name a file in it`);
  try {
    accessSync(kind(path) === "file" ? path : folder, constants.W_OK);
  } catch {
    throw new UsageError(
      `${flag} ${file}: ${kind(path) === "file" ? path : `the folder ${folder}`} cannot be written`,
    );
  }
  return path;
}
