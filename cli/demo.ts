import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { scheduledEvent } from "../shared/adapters/config/watchlist.ts";
import { utcTime } from "../shared/application/format.ts";
import { parseFlags } from "./args.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { formatResult } from "./format-result.ts";
import { PROJECT_ROOT, readLocalConfig } from "./local/local-config.ts";
import { createLocalCycle } from "./local/local-cycle.ts";
import { openLocalStore } from "./local/local-store.ts";
import { readCandlesFile } from "./read-candles-file.ts";
import { BinanceStandIn } from "./stand-ins/binance-stand-in.ts";

const USAGE = `Usage: npm run demo [-- --closes 120]

The paper trader at work in a minute, with no network: Binance's real BNBUSDT 4h candles of 2025
(the repository's fixture), replayed one hour apart as BNBUSDT 1h from 2026-01-05 (so its times are
the replay's), served on 127.0.0.1 by a stand-in, two paper accounts
trading them with two strategies (Fibonacci Golden Zone and ma-distance), the local runner's very
cycle at each close on a fast clock, the trade alerts as they happen; then npm run status, the
leaderboard and npm run report on what the demo wrote. Everything goes to a folder of its own
under the system's temporary directory (printed at the start), never ./.data.
  --closes <n>   how many replayed closes to run (default 120; 10 to 1000)`;

/** The stretch of the fixture the demo trades: both strategies enter and exit in it. */
const FIRST = 780;
const HOUR = 3_600_000;
/** The fixture's 4h candles, one hour apart from this time: the demo's BNBUSDT 1h. */
const T0 = Date.UTC(2026, 0, 5);
const closeOf = (i: number) => T0 + (i + 1) * HOUR;

await runCli(async () => {
  const flags = parseFlags(USAGE, { closes: { type: "string" } });
  if (!flags) return 0;
  const closes = flags.closes === undefined ? 120 : Number(flags.closes);
  if (!Number.isInteger(closes) || closes < 10 || closes > 1000)
    throw new UsageError(`--closes must be a whole number from 10 to 1000, got "${flags.closes}"`);
  const out = (text: string) => process.stdout.write(text);
  const dir = mkdtempSync(join(tmpdir(), "paper-trader-demo-"));
  const configFile = join(dir, "cdk.json");
  const watchlist = [
    { symbol: "BNBUSDT", timeframes: ["1h"], strategy: "fibonacci-golden-zone", account: "fibonacci" },
    { symbol: "BNBUSDT", timeframes: ["1h"], strategy: "ma-distance", account: "ma-distance" },
  ];
  const { candles } = await readCandlesFile(join(PROJECT_ROOT, "test/fixtures/market/BNBUSDT-4h.csv"));
  const hourly = candles.map((c, i) => ({ ...c, openTime: T0 + i * HOUR }));
  const binance = await BinanceStandIn.start();
  binance.serve("BNBUSDT", "1h", hourly);
  // Its market is the stand-in's: the candles the demo's report reads are cached under that source,
  // so npm run report on the folder afterwards finds them there, with no network.
  writeFileSync(
    configFile,
    JSON.stringify({ context: { tradingBot: { watchlist, binanceBaseUrl: binance.url } } }, null, 2),
  );
  const last = Math.min(FIRST + closes - 1, hourly.length - 1);
  let now = closeOf(FIRST) + 2_000;
  binance.now = () => now;
  const env = { BINANCE_BASE_URL: binance.url, BINANCE_WEIGHT_PER_MINUTE: "1000000" };
  out(
    `Demo: ${last - FIRST + 1} closes of Binance's real BNBUSDT 4h candles of 2025 (the repository's fixture),\n` +
      `replayed one hour apart as BNBUSDT 1h from ${utcTime(closeOf(FIRST))} (every time below is the replay's), served on ${binance.url};\n` +
      `two paper accounts: "fibonacci" (Fibonacci Golden Zone) and "ma-distance" (ma-distance), 10,000 USDT each.\n` +
      `Its files: ${dir} (the configuration cdk.json and the store; look again with npm run status -- --config ${join(dir, "cdk.json")} --data-dir ${dir})\n\n`,
  );
  try {
    const config = readLocalConfig(configFile, env);
    const store = await openLocalStore({ memory: false, dataDir: dir });
    const clock = { now: () => now, sleepUntil: async () => {} };
    // The alerts as they happen; the runner's log lines are left out (npm start shows them).
    const alertsOnly = (text: string) => {
      if (!/^\d\d:\d\d:\d\d (DEBUG|INFO)/.test(text)) out(text);
    };
    const local = createLocalCycle({ store, config, clock, pretty: true, env: {}, write: alertsOnly });
    let trades = 0;
    try {
      for (let i = FIRST; i <= last; i++) {
        now = closeOf(i) + 2_000;
        for (const pair of config.settings.pairs) {
          const result = await local.run({
            ...scheduledEvent(pair),
            scheduledTime: new Date(closeOf(i)).toISOString(),
          });
          const fills = result.exits.length + (result.entry ? 1 : 0);
          trades += fills;
          if (fills > 0 || result.status === "failed")
            out(`${utcTime(closeOf(i))}  ${pair.accountId}: ${formatResult(result).split("\n")[0]}\n`);
        }
      }
    } finally {
      await store.close();
    }
    out(`\n${last - FIRST + 1} closes run, ${trades} fill(s). The accounts now (npm run status):\n\n`);
    // The commands as a person runs them, in their own processes (this one keeps serving Binance).
    const cli = async (name: string, args: string[]) => {
      const run = await promisify(execFile)(
        process.execPath,
        [join(PROJECT_ROOT, "cli", `${name}.ts`), ...args],
        {
          cwd: PROJECT_ROOT,
          env: { ...process.env, ...env, TRADER_CLOCK_START: new Date(now).toISOString() },
        },
      ).catch((error: { stdout?: string; stderr?: string }) => ({
        stdout: error.stdout ?? "",
        stderr: error.stderr ?? "",
      }));
      out(run.stdout);
      if (run.stderr) out(run.stderr);
    };
    const local2 = ["--config", configFile, "--data-dir", dir];
    for (const account of ["fibonacci", "ma-distance"])
      await cli("status", [...local2, "--account", account, "--trades", "5"]);
    out("\nThe leaderboard (npm run status -- --leaderboard):\n\n");
    await cli("status", [...local2, "--leaderboard"]);
    out("\nLive against the backtest, for ma-distance (npm run report):\n\n");
    await cli("report", [...local2, "--account", "ma-distance"]);
    out(
      `\nDone. Its files stay in ${dir}; look again, offline: npm run report -- --config ${configFile} --data-dir ${dir} --account ma-distance. Run the paper trader against Binance itself with npm start.\n`,
    );
    return 0;
  } finally {
    await binance.close();
  }
});
