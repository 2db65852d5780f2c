import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url);
/** A path from the repository's root, as comments name files: shared/…, cli/…, docs/… */
const NAMED = /\b((?:shared|cli|functions|infra|docs|test|scripts)\/[\w./-]+\.(?:ts|md|cjs|json|sh))\b/g;

function files(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(new URL(dir, ROOT), { withFileTypes: true })) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory()) files(`${path}/`, found);
    else if (entry.name.endsWith(".ts")) found.push(path);
  }
  return found;
}

describe("what the code says of itself is true (issue 36)", () => {
  it("every file a comment names from the repository's root exists", () => {
    const missing: string[] = [];
    let named = 0;
    for (const file of ["shared/", "cli/", "functions/", "infra/"].flatMap((d) => files(d))) {
      const lines = readFileSync(new URL(file, ROOT), "utf8").split("\n");
      lines.forEach((line, i) => {
        if (!/^\s*(\*|\/\/|\/\*\*)/.test(line)) return; // comments only
        for (const [, path] of line.matchAll(NAMED)) {
          named++;
          if (!existsSync(new URL(path as string, ROOT))) missing.push(`${file}:${i + 1} names ${path}`);
        }
      });
    }
    expect(named).toBeGreaterThan(10); // the scan reads comments: a broken pattern finds none
    expect(missing).toEqual([]);
  });
});
