import { writeFileSync } from "node:fs";
import { parseFlags } from "./args.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { readLocalConfig } from "./local/local-config.ts";
import { LOCAL_FLAGS, LOCAL_FLAGS_USAGE, localPaths } from "./local/local-flags.ts";
import { openRepository } from "./local/open-repository.ts";
import { liveReportJson, liveReportText } from "./report/format-live-report.ts";
import { liveReport } from "./report/live-report.ts";
import { liveReportHtml } from "./report/live-report-html.ts";
import { reportRebalancing } from "./report/rebalance-report.ts";
import { reportPath } from "./report-path.ts";

const USAGE = `Usage: npm run report [-- --account <id>] [--table <name>] [--json] [--fills] [--html <file>]

Live against the backtest, on the real account (the local store, or a deployed table with --table),
on the candles Binance serves now (cached under ./.data/candles/). Two checks:
  fidelity  every live cycle replayed from the state the ledger had before it, with the settings
            and filters it recorded: same signal and fills, or the proven cause (Binance now
            serves another candle, the ledger was edited, the code changed)
  path      the account against the uninterrupted backtest with the first settings: each missed,
            failed or refused cycle and each change of settings with its effect on final equity
A rebalancing account (docs/rebalancing.md): every recorded run replayed at what it recorded,
and its path against the basket backtested without a gap.
Times are UTC, each cycle and fill at its candle's close. Exits 0 when every difference is
explained, 1 when one is not.
  --account <id>   the account (default: the configuration's accountId)
  --table <name>   a deployed table (AWS credentials and region from the environment)
  --json           the report as JSON (exact decimal strings)
  --fills          list every fill, equal ones too
  --html <file>    the report as an HTML page too; a bare file name goes to ./.data/reports/
${LOCAL_FLAGS_USAGE}`;

await runCli(async () => {
  const flags = parseFlags(USAGE, {
    ...LOCAL_FLAGS,
    account: { type: "string" },
    table: { type: "string" },
    json: { type: "boolean" },
    html: { type: "string" },
    fills: { type: "boolean" },
  });
  if (!flags) return 0;
  const { configFile, dataDir } = localPaths(flags);
  const config = readLocalConfig(configFile, process.env);
  const html = flags.html ? reportPath(flags.html, dataDir) : undefined;
  const opened = await openRepository({ table: flags.table, memory: flags.memory === true, dataDir });
  try {
    const accountId = flags.account ?? config.cycle.defaultAccountId;
    const basket = config.settings.rebalancing.find((b) => b.accountId === accountId);
    if (basket) {
      for (const name of ["html", "fills"] as const)
        if (flags[name] !== undefined)
          throw new UsageError(
            `--${name} is for a trading account's report, not a rebalancing account's (${accountId})`,
          );
      return await reportRebalancing(opened.repository, basket, {
        json: flags.json === true,
        binance: config.binance,
        dataDir,
      });
    }
    const report = await liveReport({
      repository: opened.repository,
      accountId: flags.account ?? config.cycle.defaultAccountId,
      config: config.cycle,
      binance: config.binance,
      dataDir,
    });
    process.stdout.write(
      flags.json
        ? `${JSON.stringify(liveReportJson(report, { fills: flags.fills === true }), null, 2)}\n`
        : liveReportText(report, { fills: flags.fills === true }),
    );
    if (html) {
      writeFileSync(html, liveReportHtml(report));
      if (!flags.json) process.stdout.write(`HTML report: ${html}\n`);
    }
    return report.unexplainedCycles + report.unexplainedFills > 0 ? 1 : 0;
  } finally {
    await opened.close();
  }
});
