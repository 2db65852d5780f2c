import { STRATEGIES } from "../shared/domain/strategies/registry.ts";
import { parseFlags } from "./args.ts";
import { runCli } from "./cli-errors.ts";

const USAGE = `Usage: npm run strategies [-- --json]

Lists every strategy the bot can run, with its parameters, their defaults and bounds.
  --json   the same as JSON`;

await runCli(() => {
  const flags = parseFlags(USAGE, { json: { type: "boolean" } });
  if (!flags) return 0;
  const list = STRATEGIES.map((s) => ({
    name: s.name,
    version: s.version,
    description: s.description,
    params: Object.entries(s.params).map(([name, p]) => ({ name, ...p })),
  }));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(list)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const s of list) {
    lines.push(`${s.name} (v${s.version}): ${s.description}`);
    for (const p of s.params) {
      const bounds = `${p.min ?? "-∞"}…${p.max ?? "∞"}`;
      lines.push(
        `    ${p.name.padEnd(20)} ${p.type.padEnd(8)} default ${String(p.default ?? "off").padEnd(7)} ${bounds.padEnd(14)} ${p.doc}`,
      );
    }
    lines.push("");
  }
  process.stdout.write(lines.join("\n"));
  return 0;
});
