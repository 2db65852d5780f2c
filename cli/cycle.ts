import { existsSync } from "node:fs";
import { join } from "node:path";
import { TIMEFRAMES } from "../shared/domain/market/timeframe.ts";
import { cycleEventOf, parseFlags } from "./args.ts";
import { runCli } from "./cli-errors.ts";
import { formatResult } from "./format-result.ts";
import { localChannelSenders } from "./local/channel-alerts.ts";
import { readLocalConfig } from "./local/local-config.ts";
import { createLocalCycle } from "./local/local-cycle.ts";
import { LOCAL_FLAGS, LOCAL_FLAGS_USAGE, localPaths } from "./local/local-flags.ts";
import { openLocalStore } from "./local/local-store.ts";
import { clockFromEnv } from "./local/virtual-clock.ts";

const USAGE = `Usage: npm run cycle -- --symbol BNBUSDT --timeframe 4h [--dry-run] [--json] [--account <id>]

Runs one trading cycle now, for the candle that closed last, on the local store, and prints the result.
  --symbol <symbol>  the pair's symbol, as Binance writes it (BNBUSDT)
  --timeframe <tf>   the pair's timeframe (${TIMEFRAMES.join(" ")})
  --dry-run         decide without writing or alerting
  --json            the result as JSON (the Lambda's result)
  --account <id>    another paper account than the configured one
${LOCAL_FLAGS_USAGE}`;

await runCli(async () => {
  const flags = parseFlags(USAGE, {
    ...LOCAL_FLAGS,
    symbol: { type: "string" },
    timeframe: { type: "string" },
    account: { type: "string" },
    "dry-run": { type: "boolean" },
    json: { type: "boolean" },
  });
  if (!flags) return 0;
  const event = cycleEventOf(flags);
  const { configFile, dataDir } = localPaths(flags);
  const config = readLocalConfig(configFile, process.env);
  // Alert channels checked before anything opens: a missing secret is named now, not at the first trade.
  localChannelSenders(config.settings.alerts.channels, process.env);
  // A dry run writes nothing: without a store yet, it looks at a fresh account in memory instead of creating one.
  const memory =
    flags.memory === true || (flags["dry-run"] === true && !existsSync(join(dataDir, "dynamodb")));
  const store = await openLocalStore({ memory, dataDir });
  // Log lines go to stderr here: stdout holds the result.
  const write = (text: string) => process.stderr.write(text);
  const local = createLocalCycle({
    store,
    config,
    clock: clockFromEnv(process.env),
    pretty: true,
    env: process.env,
    write,
  });
  try {
    const result = await local.run(event);
    process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : formatResult(result));
    return result.status === "failed" ? 1 : 0;
  } finally {
    await store.close();
  }
});
