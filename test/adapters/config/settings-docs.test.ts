import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../../shared/adapters/config/settings.ts";

/** docs/deploy.md's settings table: key → the default it states. */
function documentedDefaults(): Map<string, string> {
  const rows = readFileSync("docs/deploy.md", "utf8")
    .split("\n")
    .map((line) => /^\| `(\w+)` \| (.+?) \| .+ \|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  return new Map(rows.map((m) => [m[1] as string, (m[2] as string).replace(/^`|`$/g, "")]));
}

describe("the settings' defaults, declared once in the schema", () => {
  it("docs/deploy.md lists every setting, each with the schema's default", () => {
    const documented = documentedDefaults();
    for (const [key, spec] of Object.entries(SETTINGS)) {
      const stated = documented.get(key);
      expect(stated, `docs/deploy.md has no row for ${key}`).toBeDefined();
      const value = spec.default as unknown;
      if (value === null || (typeof value === "object" && !Array.isArray(value) && key === "alerts"))
        continue;
      // JSON where the table writes JSON (`"0.001"`, `{"1h": …}`), else the bare word (`paper`).
      const parsed = (() => {
        try {
          return JSON.parse(stated as string) as unknown;
        } catch {
          return stated;
        }
      })();
      expect(parsed, key).toEqual(value);
    }
  });
});
