import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCliScript } from "../helpers/run-cli.ts";

const DOCS = [
  readFileSync(join(PROJECT_ROOT, "README.md"), "utf8"),
  ...readdirSync(join(PROJECT_ROOT, "docs")).map((f) => readFileSync(join(PROJECT_ROOT, "docs", f), "utf8")),
].join("\n");
const README = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
const COMMANDS: Record<string, string> = {
  start: "start",
  cycle: "cycle",
  status: "status",
  invoke: "invoke",
  backtest: "backtest",
  report: "report",
  optimize: "optimize",
  signals: "signals",
  strategies: "strategies",
  bench: "bench/bench",
  demo: "demo",
  telegram: "telegram",
};
const flagsOf = (text: string) => new Set(text.match(/--[a-z][a-z-]+/g) ?? []);

describe("every command's --help and the docs", () => {
  it.each(Object.entries(COMMANDS))(
    "%s: every flag its help names is documented, and every flag the README gives it is in its help",
    (name, script) => {
      const help = runCliScript(script, ["--help"]);
      expect(help.status).toBe(0);
      const helpFlags = flagsOf(help.stdout);
      expect(helpFlags.size).toBeGreaterThan(0);
      const undocumented = [...helpFlags].filter((flag) => !DOCS.includes(flag));
      expect(undocumented).toEqual([]);
      // The README's command table row for this command.
      const invocation = name === "start" ? "npm start" : `npm run ${name}`;
      const rows = README.split("\n").filter((line) => line.startsWith(`| \`${invocation}`));
      expect(rows.length, `${invocation} in the README's table`).toBeGreaterThan(0);
      const tableFlags = [...flagsOf(rows.map((r) => r.split("|")[1] ?? "").join(" "))];
      const missing = tableFlags.filter((flag) => !helpFlags.has(flag));
      expect(missing).toEqual([]);
    },
  );

  it.each(Object.entries(COMMANDS))(
    "%s: every flag of its usage line has a line of its own saying what it does",
    (_name, script) => {
      const help = runCliScript(script, ["--help"]).stdout;
      const usage = help.split("\n\n")[0] ?? "";
      const described = new Set(
        help
          .split("\n")
          .filter((line) => /^\s+--[a-z]/.test(line))
          .flatMap(
            (line) =>
              (/^\s+((?:--[a-z][a-z-]*(?: <[^>]+>)?(?:, )?)+)/.exec(line)?.[1] ?? "").match(
                /--[a-z][a-z-]+/g,
              ) ?? [],
          ),
      );
      const missing = [...flagsOf(usage)].filter((flag) => !described.has(flag));
      expect(missing).toEqual([]);
    },
  );
  it.each(Object.entries(COMMANDS))(
    "%s: every option's description starts in one column",
    (_name, script) => {
      const help = runCliScript(script, ["--help"]).stdout;
      const columns = new Set<number>();
      let inOption = false;
      for (const line of help.split("\n")) {
        const option = /^ {2}--\S.*? {2,}(?=\S)/.exec(line);
        if (option) columns.add(option[0].length);
        else if (inOption && /^ {4,}\S/.test(line)) columns.add(line.length - line.trimStart().length);
        inOption = option !== null || /^ {2}--/.test(line) || (inOption && /^ {4,}\S/.test(line));
      }
      expect(columns.size).toBe(1);
    },
  );
});
