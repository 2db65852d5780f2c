import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/run-cli.ts";

const GUIDE = readFileSync(join(PROJECT_ROOT, "docs/strategies.md"), "utf8");

/** The code block that follows `file`'s name in the guide. */
function blockAfter(file: string): string {
  const at = GUIDE.indexOf(`\`${file}\`:`);
  const block = /```ts\n([\s\S]*?)```/.exec(GUIDE.slice(at))?.[1];
  if (at < 0 || !block) throw new Error(`docs/strategies.md has no code block for ${file}`);
  return block;
}

describe("docs/strategies.md, followed literally", () => {
  it("adds a strategy whose tests, and the registry's, pass", () => {
    const dir = mkdtempSync(join(tmpdir(), "tutorial-"));
    for (const part of [
      "shared",
      "test/domain",
      "test/helpers",
      "test/fixtures",
      "tsconfig.json",
      "package.json",
    ])
      cpSync(join(PROJECT_ROOT, part), join(dir, part), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"));
    writeFileSync(
      join(dir, "shared/domain/strategies/breakout.ts"),
      blockAfter("shared/domain/strategies/breakout.ts"),
    );
    writeFileSync(
      join(dir, "test/domain/strategies/breakout.test.ts"),
      blockAfter("test/domain/strategies/breakout.test.ts"),
    );
    // "in registry.ts its import and its name in the list", as the guide's line writes the list.
    const line = /`(export const STRATEGIES = \[[^\]]*\];)`/.exec(GUIDE)?.[1] as string;
    const registry = join(dir, "shared/domain/strategies/registry.ts");
    const text = readFileSync(registry, "utf8");
    writeFileSync(
      registry,
      `import { breakout } from "./breakout.ts";\n${text.replace(/export const STRATEGIES[^;]*;/, line)}`,
    );
    const run = spawnSync(
      process.execPath,
      [join(PROJECT_ROOT, "node_modules/vitest/vitest.mjs"), "run", "test/domain/strategies"],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, CI: "true" },
      },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-3_000)).toBe(0);
    expect(run.stdout).toMatch(/breakout\.test\.ts/);
    expect(run.stdout).toMatch(/registry\.test\.ts/);
  }, 120_000);
});
