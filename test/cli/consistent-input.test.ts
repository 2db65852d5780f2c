import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { marketCsv } from "../helpers/fixtures.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "consistent-"));

describe("no silent acceptance: what the backtest refuses, signals refuses; a file named for another symbol is said", () => {
  it("refuses BNBUSDT's candles backtested as ETHUSDT, naming both", async () => {
    const run = await runCliAsync(
      "backtest",
      [
        "--symbol",
        "ETHUSDT",
        "--timeframe",
        "4h",
        "--csv",
        marketCsv("BNBUSDT-4h"),
        "--tick",
        "0.01",
        "--step",
        "0.001",
        "--min-notional",
        "5",
      ],
      { BINANCE_BASE_URL: "http://127.0.0.1:9" },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      `Error: --csv ${marketCsv("BNBUSDT-4h")} is named for BNBUSDT, not --symbol ETHUSDT: its candles would be traded as ETHUSDT's (rename the file, or give --symbol BNBUSDT)`,
    );
  });

  it("signals refuses a CSV with a missing row, as the backtest does, naming the line", async () => {
    const lines = readFileSync(marketCsv("BNBUSDT-4h"), "utf8").split("\n");
    const file = join(dir, "gap.csv");
    writeFileSync(file, [...lines.slice(0, 400), ...lines.slice(401)].join("\n"));
    const signals = await runCliAsync("signals", ["--input", file], {});
    expect(signals.status).toBe(1);
    expect(signals.stdout).toBe("");
    expect(signals.stderr).toContain(`line 401 of ${file}: a gap of 1 candle(s) after`);
    const backtest = await runCliAsync(
      "backtest",
      [
        "--symbol",
        "BNBUSDT",
        "--timeframe",
        "4h",
        "--csv",
        file,
        "--tick",
        "0.01",
        "--step",
        "0.001",
        "--min-notional",
        "5",
      ],
      { BINANCE_BASE_URL: "http://127.0.0.1:9" },
    );
    expect(backtest.status).toBe(1);
    expect(backtest.stderr).toContain(`line 401 of ${file}: a gap of 1 candle(s) after`);
  });
});
