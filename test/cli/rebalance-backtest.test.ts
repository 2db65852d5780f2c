import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeCandlesCsv } from "../helpers/candles-csv-file.ts";
import { marketCsv } from "../helpers/fixtures.ts";
import { derivedCandles } from "../helpers/portfolio-market.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

const OFFLINE = { BINANCE_BASE_URL: "http://127.0.0.1:9" };
const dir = mkdtempSync(join(tmpdir(), "rebalance-"));
const csvDir = join(dir, "candles");
mkdirSync(csvDir);
copyFileSync(marketCsv("BNBUSDT-1d"), join(csvDir, "BNBUSDT-1d.csv"));
writeCandlesCsv(join(csvDir, "ETHUSDT-1d.csv"), derivedCandles("ETHUSDT", "1d"));
const FILTER = { tickSize: "0.01", stepSize: "0.001", minNotional: "5" };
const filters = join(dir, "filters.json");
writeFileSync(filters, JSON.stringify({ BNBUSDT: FILTER, ETHUSDT: FILTER }));
const configFile = join(dir, "cdk.json");
writeFileSync(
  configFile,
  JSON.stringify({
    context: {
      tradingBot: {
        watchlist: [
          {
            symbol: "BNBUSDT",
            timeframes: ["1d"],
            strategy: "ma-distance",
            params: { maPeriod: 20 },
            account: "signals-desk",
          },
          // A second account of the watchlist: the basket's commands never ask to name one of them.
          { symbol: "BNBUSDT", timeframes: ["1d"], strategy: "ma-distance", account: "other-desk" },
        ],
        rebalancing: [
          {
            accountId: "basket",
            symbols: ["BNBUSDT", "ETHUSDT"],
            weighting: "fixed",
            weights: { BNBUSDT: 45, ETHUSDT: 45, cash: 10 },
            every: 7,
            bandPct: 5,
          },
        ],
      },
    },
  }),
);
/** A command offline on the test's candles and filters, with a configuration (default: the test's). */
const cli = (command: "backtest" | "optimize", args: string[], config = configFile) =>
  runCliAsync(
    command,
    ["--config", config, "--data-dir", join(dir, "data"), "--filters", filters, "--csv-dir", csvDir, ...args],
    OFFLINE,
  );
const run = (args: string[]) => cli("backtest", args);

describe("npm run backtest -- --account <rebalancing account> (offline from CSVs)", () => {
  it("replays the basket against buy and hold and equal weight, with turnover and fees, and a signal account beside it", async () => {
    const json = await run(["--account", "basket", "--compare", "signals-desk", "--json"]);
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.symbols).toEqual(["BNBUSDT", "ETHUSDT"]);
    expect(report.rebalances).toBeGreaterThan(1);
    expect(report.rebalances).toBeLessThanOrEqual(report.scheduled);
    expect(Math.abs(report.scheduled - report.closes / 7)).toBeLessThanOrEqual(1); // every 7th close
    expect(Number(report.feesPaid)).toBeGreaterThan(0);
    expect(report.turnover).toBeGreaterThan(0);
    expect(report.buyAndHold.returnPct).not.toBe(report.returnPct);
    expect(report.compared.map((c: { accountId: string }) => c.accountId)).toEqual(["signals-desk"]);
    const text = await run(["--account", "basket", "--compare", "signals-desk"]);
    expect(text.stdout).toContain(
      "Rebalancing backtest of account basket: BNBUSDT, ETHUSDT (fixed), every 7th 1d close, band 5 points",
    );
    expect(text.stdout).toContain(`equity 10000.00 → ${report.finalEquity} USDT`);
    expect(text.stdout).toContain("account signals-desk (its strategies, same closes):");
  });

  it("refuses a one-pair flag in one line, exit 2, nothing written", async () => {
    const result = await run(["--account", "basket", "--strategy", "ma-distance"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe("Error: --strategy is not for a rebalancing account (basket)");
  });
});

describe("npm run optimize -- --account <rebalancing account>", () => {
  it("searches the band and the schedule, ranks by return, and its best entry backtests to the same return", async () => {
    const search = await cli("optimize", [
      "--account",
      "basket",
      "--param",
      "bandPct=0,5,10",
      "--param",
      "every=1,7",
      "--json",
    ]);
    expect(search.status, search.stderr).toBe(0);
    const result = JSON.parse(search.stdout);
    expect(result.settings).toBe(6);
    const returns = result.top.map((r: { returnPct: number }) => r.returnPct);
    expect(returns).toEqual([...returns].sort((a: number, b: number) => b - a));
    expect(result.entry).toMatchObject({ every: result.top[0].every, bandPct: result.top[0].bandPct });
    const bestConfig = join(dir, "best.json");
    writeFileSync(bestConfig, JSON.stringify({ context: { tradingBot: { rebalancing: [result.entry] } } }));
    const replay = await cli("backtest", ["--account", "basket", "--json"], bestConfig);
    expect(JSON.parse(replay.stdout).returnPct).toBe(result.top[0].returnPct);
  }, 60_000);

  it("walks forward: each window's best by return on its training days, chained on its test days; the entry is the last window's choice", async () => {
    const args = ["--account", "basket", "--param", "bandPct=0,5,10", "--param", "every=1,7"];
    const search = await cli("optimize", [...args, "--walk-forward", "train=6m,test=2m", "--json"]);
    expect(search.status, search.stderr).toBe(0);
    const result = JSON.parse(search.stdout);
    type Window = { chosen: { bandPct: number; every: number }; outOfSample: { returnPct: number } };
    const windows = result.walkForward.windows as Window[];
    // About 23 months of closes after the look-back: 6 months of training, then 2-month tests.
    expect(windows.length).toBeGreaterThanOrEqual(8);
    const tried = result.top.map((r: { bandPct: number; every: number }) => `${r.bandPct}/${r.every}`);
    for (const w of windows) expect(tried).toContain(`${w.chosen.bandPct}/${w.chosen.every}`);
    // The out-of-sample return is the test windows' returns chained.
    const chained = windows.reduce((g, w) => g * (1 + w.outOfSample.returnPct / 100), 1);
    expect(Math.abs((chained - 1) * 100 - result.walkForward.outOfSample.returnPct)).toBeLessThan(0.01);
    const last = windows.at(-1)?.chosen;
    expect(result.entry).toMatchObject({ bandPct: last?.bandPct, every: last?.every });
    expect(result.overfitting.trials).toBe(6);
    const text = await cli("optimize", [...args, "--walk-forward", "train=6m,test=2m"]);
    expect(text.stdout).toContain(
      "Walk-forward (each window's best setting on its training days, traded on the test days after):",
    );
    expect(text.stdout).toContain("Probability of backtest overfitting (CSCV");
    expect(text.stdout).toContain("The last window's choice as a tradingBot.rebalancing entry:");
    const misfit = await cli("optimize", [...args, "--walk-forward", "train=5y,test=1m"]);
    expect(misfit.status).toBe(2);
    expect(misfit.stderr.trim()).toMatch(/^Error: --walk-forward train=5y,test=1m: no window fits: /);
  }, 120_000);

  it("refuses a parameter it does not search, in one line", async () => {
    const said = await cli("optimize", ["--account", "basket", "--param", "lookbackDays=10,20"]);
    expect(said.status).toBe(2);
    expect(said.stderr.trim()).toBe(
      "Error: --param lookbackDays is for an inverse-volatility basket; basket's is fixed",
    );
    // A strategy search's flags are refused, not ignored: the basket's search ranks by return, over a grid.
    for (const flag of ["--min-trades", "--seed"]) {
      const refused = await cli("optimize", ["--account", "basket", "--param", "bandPct=0,5", flag, "3"]);
      expect(refused.status).toBe(2);
      expect(refused.stderr.trim()).toBe(`Error: ${flag} is not for a rebalancing account's search (basket)`);
    }
  });
});
