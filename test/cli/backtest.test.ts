import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BNBUSDT_INFO } from "../../cli/stand-ins/binance-stand-in.ts";
import { BNB_4H_CSV, BNB_CSV_ARGS, useBacktestCli } from "../helpers/backtest-cli.ts";
import { fixtureCandles } from "../helpers/fixtures.ts";
import { PROJECT_ROOT } from "../helpers/run-cli.ts";

const { dir, binance, backtest } = useBacktestCli();
const csv = BNB_4H_CSV;
/** The same candles in a file named for no symbol (a file named for BNBUSDT is refused for another symbol). */
const neutralCsv = () => {
  const file = join(dir, "candles-4h.csv");
  if (!existsSync(file)) writeFileSync(file, readFileSync(csv, "utf8"));
  return file;
};
const BNB_CSV = BNB_CSV_ARGS;
const lines = readFileSync(csv, "utf8").trim().split("\n");
const writeCsv = (name: string, rows: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${rows.join("\n")}\n`);
  return path;
};

describe("npm run backtest", () => {
  it("replays a CSV and reports, as JSON, the trade and the figures", async () => {
    const run = await backtest(["--symbol", "BNBUSDT", "--timeframe", "4h", "--csv", csv, "--json"]);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      cycles: 1607,
      trades: 1,
      losses: 1,
      finalEquity: "9949.22120830",
      totalReturnPct: -0.5078,
      exitReasons: [{ reason: "stop", count: 1, pnl: "-49.77884199" }],
    });
    // Times are the fills': the close of the BUY's candle (16:00 open) and of the stop's (12:00 open).
    expect(report.roundTrips[0]).toMatchObject({
      entryTime: "2025-05-18T20:00:00.000Z",
      exitTime: "2025-06-22T16:00:00.000Z",
      pnl: "-50.7787917",
    });
    expect(report).toMatchObject({
      netPnl: "-50.7787917",
      feesPaid: "1.9510717",
      expectancy: "-50.77879170",
      averageTradeHours: 836,
      maxDrawdownDays: 26,
      parameters: {
        strategy: "fibonacci-golden-zone",
        feeRate: "0.001",
        stakeFraction: "0.1",
        filters: { tick: "0.01000000" },
      },
    });
    expect(report.monthlyReturns.map((m: { month: string }) => m.month)).toEqual([
      "2025-02",
      "2025-03",
      "2025-04",
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
    ]);
    // The months compound to the whole return.
    const compounded = report.monthlyReturns.reduce(
      (f: number, m: { returnPct: number }) => f * (1 + m.returnPct / 100),
      1,
    );
    expect(Math.abs((compounded - 1) * 100 - report.totalReturnPct)).toBeLessThan(0.01);
  });

  it("lists every fill, in the JSON and as CSV, at its candle's close, with the position after it", async () => {
    const file = join(dir, "fills.csv");
    const run = await backtest([...BNB_CSV, "--json", "--fills-csv", file]);
    const report = JSON.parse(run.stdout) as { fills: Record<string, unknown>[] };
    expect(report.fills).toEqual([
      {
        time: "2025-05-18T20:00:00.000Z",
        symbol: "BNBUSDT",
        side: "BUY",
        reason: "entry",
        price: "638.13",
        quantity: "1.567",
        quoteAmount: "999.94971",
        fee: "0.99994971",
        realizedPnl: null,
        positionAfter: "1.567",
      },
      {
        time: "2025-06-22T16:00:00.000Z",
        symbol: "BNBUSDT",
        side: "SELL",
        reason: "stop",
        price: "606.97",
        quantity: "1.567",
        quoteAmount: "951.12199",
        fee: "0.95112199",
        realizedPnl: "-49.77884199",
        positionAfter: "0",
      },
    ]);
    expect(readFileSync(file, "utf8").trim().split("\n")).toEqual([
      "strategy,time,symbol,side,reason,price,quantity,quote_amount,fee,realized_pnl_after_exit_fee,position_after",
      "fibonacci-golden-zone,2025-05-18T20:00:00.000Z,BNBUSDT,BUY,entry,638.13,1.567,999.94971,0.99994971,,1.567",
      "fibonacci-golden-zone,2025-06-22T16:00:00.000Z,BNBUSDT,SELL,stop,606.97,1.567,951.12199,0.95112199,-49.77884199,0",
    ]);
  });

  it("trades only from --from to --to, and takes the risk options", async () => {
    const run = await backtest([
      ...BNB_CSV,
      "--from",
      "2025-05-01",
      "--to",
      "2025-06-30",
      "--stake",
      "0.2",
      "--fee-rate",
      "0.002",
      "--json",
    ]);
    const report = JSON.parse(run.stdout);
    expect(report.from).toBe("2025-05-01T00:00:00.000Z");
    expect(report.to).toBe("2025-07-01T00:00:00.000Z");
    expect(report.roundTrips[0]).toMatchObject({ quantity: "3.134" });
  });

  it.each([
    [["--compare", "dca,nope"], 'unknown strategy "nope"'],
    [["--compare", "dca,ma-distance", "--param", "maPeriod=5"], "with --compare, say whose parameter it is"],
    [["--strategy", "dca", "--compare", "dca,ma-distance"], "give --strategy or --compare, not both"],
  ])("refuses a strategy it cannot run: exit 2 (%#)", async (extra, message) => {
    const run = await backtest(["--symbol", "BNBUSDT", "--timeframe", "4h", "--csv", csv, ...extra]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe("");
  });

  it("sizes a CSV's trades with that symbol's own filters: Binance's (cached), or given by hand", async () => {
    binance().serve("BTCUSDT", "4h", fixtureCandles("BNBUSDT-4h"), {
      ...BNBUSDT_INFO,
      baseAsset: "BTC",
      tickSize: "0.01000000",
      stepSize: "0.00001000",
      minQty: "0.00001000",
    });
    const data = join(dir, "btc-data");
    const args = [
      "--symbol",
      "BTCUSDT",
      "--timeframe",
      "4h",
      "--csv",
      neutralCsv(),
      "--json",
      "--data-dir",
      data,
    ];
    const before = binance().requestsTo("/api/v3/exchangeInfo").length;
    const first = JSON.parse((await backtest(args)).stdout) as { roundTrips: { quantity: string }[] };
    // 10 % of 10,000 USDT at 638.13, down to BTCUSDT's step of 0.00001 (BNBUSDT's 0.001 gave 1.567).
    expect(first.roundTrips[0]?.quantity).toBe("1.56707");
    const again = JSON.parse((await backtest(args)).stdout) as { roundTrips: { quantity: string }[] };
    expect(again.roundTrips[0]?.quantity).toBe("1.56707");
    expect(binance().requestsTo("/api/v3/exchangeInfo").length - before).toBe(1); // the second run used the cache
    const byHand = await backtest(
      [
        "--symbol",
        "XYZUSDT",
        "--timeframe",
        "4h",
        "--csv",
        neutralCsv(),
        "--json",
        "--tick",
        "0.01",
        "--step",
        "0.1",
        "--min-notional",
        "5",
      ],
      { BINANCE_BASE_URL: "http://127.0.0.1:9" },
    );
    expect(
      (JSON.parse(byHand.stdout) as { roundTrips: { quantity: string }[] }).roundTrips[0]?.quantity,
    ).toBe("1.5");
  }, 60_000);

  it("refuses a CSV whose symbol's filters it cannot know, saying how to give them", async () => {
    const run = await backtest(["--symbol", "XYZUSDT", "--timeframe", "4h", "--csv", neutralCsv()], {
      BINANCE_BASE_URL: "http://127.0.0.1:9",
      BINANCE_CALL_TIMEOUT_MS: "1000",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("no exchange filters for XYZUSDT");
    expect(run.stderr).toContain(
      "give XYZUSDT's own with --tick <price step> --step <quantity step> --min-notional <quote amount>",
    );
    // Never another symbol's numbers (BNBUSDT's step suggested for any symbol sized 1.56707 BNB).
    expect(run.stderr).not.toMatch(/--step \d/);
    expect(run.stdout).toBe("");
  });

  it("downloads from Binance with the warm-up, caches the candles, and needs no download the second time", async () => {
    const env = { BINANCE_BASE_URL: binance().url };
    const dataDir = join(dir, "data");
    const range = ["--from", "2025-03-01", "--to", "2025-11-14"];
    const args = ["--symbol", "BNBUSDT", "--timeframe", "4h", ...range, "--data-dir", dataDir, "--json"];
    const first = await backtest(args, env);
    expect(first.stderr).toBe("");
    const downloads = binance().requestsTo("/api/v3/klines");
    expect(downloads.length).toBe(2); // 1,000 and the rest
    expect(Number(downloads[0]?.query.startTime)).toBe(Date.UTC(2025, 2, 1) - 299 * 4 * 3_600_000);
    const second = await backtest(args, env);
    expect(binance().requestsTo("/api/v3/klines").length).toBe(2);
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(first.stdout));
    expect(JSON.parse(first.stdout).trades).toBe(1);
    // Kept per source: what a stand-in served never lands in the file a real run reads.
    const host = new URL(binance().url).host.replace(":", "_");
    expect(existsSync(join(dataDir, "candles", host, "BNBUSDT-4h.json"))).toBe(true);
    expect(existsSync(join(dataDir, "candles", "BNBUSDT-4h.json"))).toBe(false);
  });

  it("runs the account on the embedded store with --store, to the same result", async () => {
    const args = [...BNB_CSV, "--from", "2025-05-15", "--to", "2025-06-25", "--json"];
    const memory = JSON.parse((await backtest(args)).stdout);
    const stored = JSON.parse((await backtest([...args, "--store"])).stdout);
    expect(stored).toEqual(memory);
    expect(stored.trades).toBe(1);
  }, 60_000);

  it.each([
    [
      ["--csv", csv, "--from", "2025-06-01", "--to", "2025-05-01"],
      2,
      "--from \\(2025-06-01\\) is after --to \\(2025-05-01\\)",
    ],
    [
      [
        "--csv",
        writeCsv(
          "gap.csv",
          lines.filter((_, i) => i !== 500),
        ),
      ],
      1,
      "line 501 of .*gap.csv: a gap of 1 candle\\(s\\) after the candle opening 2025-03-25 00:00 UTC",
    ],
    [
      [
        "--csv",
        writeCsv(
          "bad.csv",
          lines.map((l, i) => (i === 42 ? "2025-01-07 16:00:00,1,2,x,1,1,1,1" : l)),
        ),
      ],
      1,
      'line 43 of .*bad.csv: low "x" is not a finite number',
    ],
    [
      ["--csv", csv, "--from", "2025-01-10"],
      1,
      "the strategy needs 299 candles before the first one traded; there are 54 before 2025-01-10",
    ],
    [["--csv", csv, "--from", "2026-01-01"], 1, "no candle to trade between 2026-01-01 and the end"],
    [["--csv", join(dir, "missing.csv")], 1, "no such file"],
    [
      ["--from", "2025-03-01", "--to", "2025-04-01", "--data-dir", join(dir, "d2")],
      1,
      'Binance does not list "BNBUSD"',
    ],
    [["--csv", csv, "--stake", "ten"], 2, '--stake must be a positive decimal, got "ten"'],
    [["--csv", csv, "--from", "yesterday"], 2, '--from must be a date such as 2025-01-01, got "yesterday"'],
    [["--csv", csv, "--risk", "{bad"], 2, "^Error: --risk is not JSON: \\{bad\n$"],
    [
      ["--csv", csv, "--risk", '{"protections": {"cooldown": 3}}'],
      2,
      "^Error: --risk.protections: unknown key\\(s\\) cooldown; known: cooldownCandles, stopLossGuard, maxDrawdown, dailyLossPct\n$",
    ],
    [["--csv", csv, "--compare-protections"], 2, "--compare-protections: no protection is on"],
  ])("refuses bad input with a clear message (%#)", async (args, status, message) => {
    const symbol = args.includes("--csv") ? "BNBUSDT" : "BNBUSD";
    const run = await backtest(["--symbol", symbol, "--timeframe", "4h", ...args], {
      BINANCE_BASE_URL: binance().url,
    });
    expect(run.status).toBe(status);
    expect(run.stderr).toMatch(new RegExp(message));
    expect(run.stdout).toBe("");
  });
});

describe("what a newcomer runs as the README shows it", () => {
  it("puts a report given by bare file name under .data/reports/, out of git's and Biome's way", async () => {
    const data = join(dir, "newcomer");
    const run = await backtest([...BNB_CSV, "--html", "report.html", "--data-dir", data]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`HTML report: ${join(data, "reports", "report.html")}`);
    expect(readFileSync(join(data, "reports", "report.html"), "utf8")).toContain("<!doctype html>");
  });

  it("gives JSON that parses through npm run -s", () => {
    const run = spawnSync("npm", ["run", "-s", "strategies", "--", "--json"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { name: string }[]).map((s) => s.name)).toContain("ma-distance");
  });
});
