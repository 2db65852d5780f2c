import { writeFileSync } from "node:fs";
import { parseFlags } from "./args.ts";
import { runCli } from "./cli-errors.ts";
import { readLocalConfig } from "./local/local-config.ts";
import { LOCAL_FLAGS, LOCAL_FLAGS_USAGE, localPaths } from "./local/local-flags.ts";
import { openRepository } from "./local/open-repository.ts";
import { liveReportJson, liveReportText } from "./report/format-live-report.ts";
import { liveReport } from "./report/live-report.ts";
import { liveReportHtml } from "./report/live-report-html.ts";
import { reportPath } from "./report-path.ts";

const USAGE = `Usage: npm run report [-- --account <id>] [--table <name>] [--json] [--html <file>]

Live against the backtest, on the real account: reads the account's ledger and cycle records
(the local store, or a deployed table with --table), fetches the candles of the same period
(cached under ./.data/candles/), replays the account from its first cycle with the strategies and
settings that cycle recorded, and lists every divergence (a fill in one and not the other,
another price, quantity or fee) with its cause where the records show one: cycle failed, cycle
refused (stale or late), missed cycle (none ran), settings changed.
Exits 0 when every divergence is explained, 1 when one is not.
  --account <id>   the account (default: the configuration's accountId)
  --table <name>   a deployed table (AWS credentials and region from the environment)
  --json           the report as JSON (exact decimal strings)
  --html <file>    the report as an HTML page too; a bare file name goes to ./.data/reports/
${LOCAL_FLAGS_USAGE}`;

await runCli(async () => {
  const flags = parseFlags(USAGE, {
    ...LOCAL_FLAGS,
    account: { type: "string" },
    table: { type: "string" },
    json: { type: "boolean" },
    html: { type: "string" },
  });
  if (!flags) return 0;
  const { configFile, dataDir } = localPaths(flags);
  const config = readLocalConfig(configFile, process.env);
  const opened = await openRepository({ table: flags.table, memory: flags.memory === true, dataDir });
  try {
    const report = await liveReport({
      repository: opened.repository,
      accountId: flags.account ?? config.cycle.defaultAccountId,
      config: config.cycle,
      binance: config.binance,
      dataDir,
    });
    process.stdout.write(
      flags.json ? `${JSON.stringify(liveReportJson(report), null, 2)}\n` : liveReportText(report),
    );
    if (flags.html) {
      const file = reportPath(flags.html, dataDir);
      writeFileSync(file, liveReportHtml(report));
      if (!flags.json) process.stdout.write(`HTML report: ${file}\n`);
    }
    return report.unexplained > 0 ? 1 : 0;
  } finally {
    await opened.close();
  }
});
