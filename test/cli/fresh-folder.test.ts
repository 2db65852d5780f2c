import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliAsync } from "../helpers/run-cli.ts";

describe("a newcomer's first commands", () => {
  it("npm run status on a folder with no store says so, exit 2, and creates nothing there", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fresh-"));
    const run = await runCliAsync("status", ["--data-dir", dir], {});
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `no paper account in ${dir}: no store there yet; run a cycle first (npm start)`,
    );
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, "dynamodb"))).toBe(false);
  }, 60_000);

  it("package.json asks for the Node the README says is enough to bootstrap (20), so npm ci does not warn", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    const readme = readFileSync("README.md", "utf8");
    const stated = /You need Node\.js (\d+) or newer/.exec(readme)?.[1];
    expect(stated).toBeDefined();
    expect(pkg.engines.node).toBe(`>=${stated}`);
  });
});
