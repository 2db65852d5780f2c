import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { yearOfHourlyCandles } from "../../cli/bench/backtest-bench.ts";
import { benchClose } from "../../cli/bench/close-bench.ts";
import { benchFanOut } from "../../cli/bench/fan-out-bench.ts";
import { benchSteps } from "../../cli/bench/optimize-bench.ts";
import { STRATEGIES } from "../../shared/domain/strategies/registry.ts";
import { fixtureCandles, marketCsv, signalsJsonl } from "../helpers/fixtures.ts";
import { runCliScript } from "../helpers/run-cli.ts";

describe("npm run signals", () => {
  it.each(["BNBUSDT-1d", "BNBUSDT-4h"] as const)("reproduces %s.jsonl byte for byte", (name) => {
    const run = runCliScript("signals", ["--input", marketCsv(name)]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(signalsJsonl(name), "utf8"));
  });

  it("evaluates longer windows when asked", () => {
    const run = runCliScript("signals", ["--input", marketCsv("BNBUSDT-1d"), "--window", "700"]);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split("\n")).toHaveLength(745 - 699);
  });

  const dir = mkdtempSync(join(tmpdir(), "signals-cli-"));
  const lines = readFileSync(marketCsv("BNBUSDT-1d"), "utf8").trim().split("\n");
  const withLine = (index: number, line: string) => {
    const copy = [...lines];
    copy[index] = line;
    const path = join(dir, `case-${index}-${copy.length}.csv`);
    writeFileSync(path, `${copy.join("\n")}\n`);
    return path;
  };
  const short = join(dir, "short.csv");
  writeFileSync(short, `${lines.slice(0, 250).join("\n")}\n`);

  it.each([
    [["--input", join(dir, "missing.csv")], 1, "no such file"],
    [["--input", withLine(500, "2025-03-16,1,2")], 1, "line 501 of"],
    [["--input", withLine(400, "2024-12-04,600,NaN,590,595,10")], 1, 'high "NaN" is not a finite number'],
    [
      ["--input", withLine(300, "2024-08-27,600,590,595,595,10")],
      1,
      "line 301 of .* high 590 is below low 595",
    ],
    [["--input", withLine(600, lines[599] as string)], 1, "line 601 of .* duplicate open time"],
    [["--input", withLine(700, "2020-01-01,1,2,1,1,1")], 1, "line 701 of .* is before the previous candle's"],
    [["--input", short], 1, "has 249 candles, fewer than the window of 300"],
    [
      ["--input", marketCsv("BNBUSDT-1d"), "--window", "150"],
      2,
      "--window must be a whole number of at least 200",
    ],
    [["--input", marketCsv("BNBUSDT-1d"), "--bogus"], 2, "Error: unknown option --bogus; see --help"],
    [[], 2, "--input is required"],
  ])("fails on bad input with a clear message and no stdout (%#)", (args, status, message) => {
    const run = runCliScript("signals", args);
    expect(run.status).toBe(status);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(new RegExp(message));
  });
});

describe("npm run bench", () => {
  it("ends with the JSON figure line", () => {
    const run = runCliScript("bench/bench", [
      "--input",
      marketCsv("BNBUSDT-1d"),
      "--json",
      "--no-bundle",
      "--no-close",
      "--no-optimize",
      "--no-fan-out",
    ]);
    expect(run.status).toBe(0);
    const last = JSON.parse(run.stdout.trim().split("\n").at(-1) as string);
    expect(last.windows).toBe(446);
    expect(last.signal_us_per_window).toBeGreaterThan(0);
    expect(Object.keys(last).some((k) => k.startsWith("fan_out"))).toBe(false);
  }, 60_000);

  it("runs the fan-out worker's bundle on batches and projects a 10,000-setting search from its pace", async () => {
    const f = await benchFanOut(yearOfHourlyCandles(fixtureCandles("BNBUSDT-1d")));
    expect(f.pairBatchSeconds).toBeGreaterThan(0);
    expect(f.accountBatchSeconds).toBeGreaterThan(0);
    expect(f.accountPairs).toBe(20);
    for (const plan of [f.pair.at100, f.pair.at1000, f.account.at100, f.account200.at1000]) {
      expect(plan.batches * plan.batchSize).toBeGreaterThanOrEqual(10_000);
      expect(plan.dollars.total).toBeGreaterThan(0);
    }
    // More workers: never a longer wall time; 200 pairs (ten times the 20-pair pace) a longer one.
    expect(f.pair.at1000.wallSeconds).toBeLessThanOrEqual(f.pair.at100.wallSeconds);
    expect(f.account200.at100.wallSeconds).toBeGreaterThan(f.account.at100.wallSeconds);
  }, 180_000);

  it("measures the optimizer's path and the backtest's on the same candles, per strategy", async () => {
    const figures = await benchSteps(fixtureCandles("BNBUSDT-1d"));
    expect(figures.map((f) => f.strategy)).toEqual(STRATEGIES.map((s) => s.name));
    for (const f of figures) {
      expect(f.optimizerPerSecond).toBeGreaterThan(0);
      expect(f.backtestPerSecond).toBeGreaterThan(0);
    }
  }, 60_000);

  it("simulates a close against Binance's weight limit and DynamoDB Local, every cycle the Lambda's", async () => {
    // 20 symbols on 1h and 4h, 5 containers: the bench's close, small.
    const figures = await benchClose(fixtureCandles("BNBUSDT-4h"), 5, 20);
    expect(figures).toMatchObject({ pairs: 40, failed: 0, status429: 0, status418: 0, klinesCalls: 40 });
    expect(figures.peakWeightPerMinute).toBeGreaterThanOrEqual(40); // 80 in all, in one minute or two
    expect(figures.peakWeightPerMinute).toBeLessThanOrEqual(80 + 20 * figures.exchangeInfoCalls);
  }, 60_000);
});
