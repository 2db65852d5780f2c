import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeCandlesCsv } from "../helpers/candles-csv-file.ts";
import { marketCsv } from "../helpers/fixtures.ts";
import { derivedCandles } from "../helpers/portfolio-market.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

const OFFLINE = { BINANCE_BASE_URL: "http://127.0.0.1:9" };
const dir = mkdtempSync(join(tmpdir(), "portfolio-optimize-"));
const csvDir = join(dir, "candles");
mkdirSync(csvDir);
copyFileSync(marketCsv("BNBUSDT-4h"), join(csvDir, "BNBUSDT-4h.csv"));
writeCandlesCsv(join(csvDir, "ETHUSDT-4h.csv"), derivedCandles("ETHUSDT", "4h"));
writeCandlesCsv(join(csvDir, "SOLUSDT-4h.csv"), derivedCandles("SOLUSDT", "4h"));
const FILTER = { tickSize: "0.01", stepSize: "0.001", minNotional: "5" };
const filters = join(dir, "filters.json");
writeFileSync(filters, JSON.stringify({ BNBUSDT: FILTER, ETHUSDT: FILTER, SOLUSDT: FILTER }));
const configOf = (tradingBot: Record<string, unknown>) => {
  const file = join(dir, `cdk-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ context: { tradingBot } }));
  return file;
};
const WATCHLIST = [
  {
    symbol: "BNBUSDT",
    timeframes: ["4h"],
    strategy: "ma-distance",
    params: { maPeriod: 20 },
    account: "desk",
  },
  { symbol: "ETHUSDT", timeframes: ["4h"], strategy: "ma-distance", account: "desk" },
  { symbol: "SOLUSDT", timeframes: ["4h"], strategy: "ma-distance", account: "desk" },
];
const CONFIG = configOf({ maxOpenPositions: 2, watchlist: WATCHLIST });
const common = ["--data-dir", join(dir, "data"), "--filters", filters, "--csv-dir", csvDir];

describe("npm run optimize -- --account (a whole account)", () => {
  it("searches the strategy's parameters and the account's slots on the account's equity; the best equals its portfolio backtest", async () => {
    const run = await runCliAsync(
      "optimize",
      [
        "--strategy",
        "ma-distance",
        "--account",
        "desk",
        "--config",
        CONFIG,
        ...common,
        "--param",
        "maPeriod=20..80:20",
        "--param",
        "maxOpenPositions=1,3",
        "--param",
        "stake=0.1,0.3",
        "--json",
      ],
      OFFLINE,
    );
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.evaluated).toBe(16);
    expect(result.pairs).toEqual(["BNBUSDT 4h", "ETHUSDT 4h", "SOLUSDT 4h"]);
    const best = result.ranked[0];
    expect(result.watchlistEntries).toHaveLength(3);
    expect(result.watchlistEntries[0]).toMatchObject({
      symbol: "BNBUSDT",
      params: { maPeriod: best.setting.maPeriod },
      account: "desk",
    });
    expect(result.accountSettings).toEqual({
      maxOpenPositions: best.setting.maxOpenPositions,
      stakeFractions: { "4h": String(best.setting.stake) },
    });
    // The chosen entries and account settings, backtested as an account: the same final equity.
    const chosen = configOf({ ...result.accountSettings, watchlist: result.watchlistEntries });
    const backtest = await runCliAsync(
      "backtest",
      ["--account", "desk", "--config", chosen, ...common, "--json"],
      OFFLINE,
    );
    expect(backtest.status, backtest.stderr).toBe(0);
    const report = JSON.parse(backtest.stdout);
    expect(Number(report.finalEquity)).toBeCloseTo(best.finalEquity, 2);
    expect(report.totalReturnPct).toBeCloseTo(best.metrics.returnPct, 2);
  }, 180_000);

  it.each([
    [
      ["--strategy", "fibonacci-golden-zone", "--account", "desk"],
      "Error: account desk has no pair trading fibonacci-golden-zone; its pairs trade ma-distance",
    ],
    [
      ["--strategy", "ma-distance", "--account", "desk", "--symbol", "BNBUSDT"],
      "Error: --symbol is for one pair; with --account or --watchlist the account's pairs come from the watchlist",
    ],
    [
      [
        "--strategy",
        "ma-distance",
        "--symbol",
        "BNBUSDT",
        "--timeframe",
        "4h",
        "--param",
        "maxOpenPositions=1,2",
      ],
      'Error: --param maxOpenPositions=1,2: ma-distance has no parameter "maxOpenPositions"',
    ],
    [
      [
        "--strategy",
        "ma-distance",
        "--account",
        "desk",
        "--param",
        "maPeriod=10,20",
        "--heatmap",
        "maPeriod,stake",
      ],
      "Error: --heatmap maPeriod,stake: name two of the searched parameters, e.g. --heatmap maPeriod",
    ],
    [
      [
        "--strategy",
        "ma-distance",
        "--account",
        "desk",
        "--param",
        "maPeriod=10,20",
        "--walk-forward",
        "train=5y,test=1m",
      ],
      "Error: --walk-forward train=5y,test=1m: no window fits: the training span alone is 1826 days",
    ],
  ])("refuses %j in one line, exit 2", async (args, start) => {
    const run = await runCliAsync("optimize", [...args, "--config", CONFIG, ...common], OFFLINE);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr.trim().startsWith(start), run.stderr).toBe(true);
  });
});
