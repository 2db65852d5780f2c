import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inChromium } from "../helpers/browser.ts";
import { writeCandlesCsv } from "../helpers/candles-csv-file.ts";
import { marketCsv } from "../helpers/fixtures.ts";
import { derivedCandles } from "../helpers/portfolio-market.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

const OFFLINE = { BINANCE_BASE_URL: "http://127.0.0.1:9" };
const dir = mkdtempSync(join(tmpdir(), "portfolio-"));
const csvDir = join(dir, "candles");
mkdirSync(csvDir);
copyFileSync(marketCsv("BNBUSDT-4h"), join(csvDir, "BNBUSDT-4h.csv"));
copyFileSync(marketCsv("BNBUSDT-1d"), join(csvDir, "BNBUSDT-1d.csv"));
writeCandlesCsv(join(csvDir, "ETHUSDT-4h.csv"), derivedCandles("ETHUSDT", "4h"));
writeCandlesCsv(join(csvDir, "SOLUSDT-4h.csv"), derivedCandles("SOLUSDT", "4h"));
const filters = join(dir, "filters.json");
const FILTER = { tickSize: "0.01", stepSize: "0.001", minNotional: "5" };
writeFileSync(filters, JSON.stringify({ BNBUSDT: FILTER, ETHUSDT: FILTER, SOLUSDT: FILTER, BNBBTC: FILTER }));
const config = (tradingBot: Record<string, unknown>) => {
  const file = join(dir, `cdk-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ context: { tradingBot } }));
  return file;
};
const MA = { strategy: "ma-distance", params: { maPeriod: 20 } };
const ACCOUNT = config({
  maxOpenPositions: 2,
  watchlist: [
    { symbol: "BNBUSDT", timeframes: ["4h"], ...MA, account: "desk" },
    { symbol: "ETHUSDT", timeframes: ["4h"], ...MA, account: "desk" },
    { symbol: "SOLUSDT", timeframes: ["4h"], ...MA, account: "desk" },
    { symbol: "BNBUSDT", timeframes: ["4h"], account: "other" },
  ],
});
const run = (args: string[]) =>
  runCliAsync("backtest", ["--data-dir", join(dir, "data"), "--filters", filters, ...args], OFFLINE);

describe("npm run backtest -- --account (a whole account, offline from CSVs)", () => {
  it("reports the account against equal-weight buy and hold, each pair's part, and the entries a binding position limit cost", async () => {
    const json = await run(["--config", ACCOUNT, "--account", "desk", "--csv-dir", csvDir, "--json"]);
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.pairs.map((p: { pair: string }) => p.pair)).toEqual([
      "BNBUSDT 4h",
      "ETHUSDT 4h",
      "SOLUSDT 4h",
    ]);
    const slotsFull = report.pairs.reduce(
      (n: number, p: { notTaken: Record<string, number> }) => n + (p.notTaken["slots full"] ?? 0),
      0,
    );
    expect(slotsFull).toBeGreaterThan(0);
    // The pairs' contributions add up to the account's gain, to the cent.
    const sum = report.pairs.reduce(
      (s: number, p: { contribution: string }) => s + Math.round(Number(p.contribution) * 100),
      0,
    );
    expect(
      Math.abs(sum - Math.round((Number(report.finalEquity) - Number(report.initialEquity)) * 100)),
    ).toBeLessThanOrEqual(report.pairs.length);
    expect(Math.max(...report.curve.map((c: { openPositions: number }) => c.openPositions))).toBe(2);
    const text = await run([
      "--config",
      ACCOUNT,
      "--account",
      "desk",
      "--csv-dir",
      csvDir,
      "--html",
      join(dir, "desk.html"),
      "--fills-csv",
      join(dir, "desk.csv"),
    ]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain("Portfolio backtest of account desk: 3 pairs");
    expect(text.stdout).toContain("equal-weight buy and hold of BNBUSDT, ETHUSDT, SOLUSDT:");
    expect(text.stdout).toMatch(
      /Entries not taken \(BUY signals while the pair was flat, by why\):\n\s+pair\s+slots full\s+not enough cash\s+a protection\s+below the minimum\s+other/,
    );
    expect(text.stdout).toContain(`HTML report: ${join(dir, "desk.html")}`);
    const problems = await inChromium(join(dir, "desk.html"), async (tab) => {
      expect(await tab.locator("svg").count()).toBe(2);
      expect(await tab.locator("h1").textContent()).toBe("Portfolio backtest of account desk");
    });
    expect(problems).toEqual([]);
  }, 180_000);

  it.each([
    [["--account", "nobody", "--csv-dir", csvDir], "Error: account nobody has no pairs in"],
    [
      ["--account", "desk", "--csv-dir", join(dir, "missing")],
      `Error: --csv-dir ${join(dir, "missing")} does not exist`,
    ],
    [["--account", "desk", "--csv-dir", csvDir, "--symbol", "BNBUSDT"], "Error: --symbol is for one pair"],
  ])("refuses %j in one line, exit 2", async (args, start) => {
    const result = await run(["--config", ACCOUNT, ...args]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr.trim().startsWith(start)).toBe(true);
  });

  it("refuses a missing CSV, two files for one pair, another quote asset and a pair short of the period, naming it, nothing written", async () => {
    const cases: [Record<string, unknown>, string, (d: string) => void, string[]?][] = [
      [
        { watchlist: [{ symbol: "ADAUSDT", timeframes: ["4h"] }] },
        "Error: no candles for ADAUSDT 4h: ",
        () => {},
      ],
      [
        { watchlist: [{ symbol: "BNBUSDT", timeframes: ["4h"] }] },
        "Error: two files for BNBUSDT 4h in ",
        (d) => copyFileSync(marketCsv("BNBUSDT-4h"), join(d, "bnbusdt-4h.csv")),
      ],
      [
        { watchlist: [{ symbol: "BNBBTC", timeframes: ["4h"] }] },
        "Error: BNBBTC 4h (account paper) is not quoted in USDT",
        () => {},
      ],
      [
        {
          watchlist: [
            { symbol: "BNBUSDT", timeframes: ["4h"] },
            { symbol: "ETHUSDT", timeframes: ["4h"] },
          ],
        },
        "Error: ETHUSDT 4h's candles end with the one opening",
        (d) => writeCandlesCsv(join(d, "ETHUSDT-4h.csv"), derivedCandles("ETHUSDT", "4h").slice(0, -50)),
        ["--from", "2025-06-01", "--to", "2025-11-10"],
      ],
    ];
    for (const [tradingBot, start, prepare, period = []] of cases) {
      const own = mkdtempSync(join(dir, "case-"));
      copyFileSync(marketCsv("BNBUSDT-4h"), join(own, "BNBUSDT-4h.csv"));
      prepare(own);
      const html = join(own, "page.html");
      const result = await run([
        "--config",
        config(tradingBot),
        "--account",
        "paper",
        "--csv-dir",
        own,
        "--html",
        html,
        ...period,
      ]);
      expect(result.status, `${start}: ${result.stdout.slice(0, 300)}`).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr.trim().startsWith(start), result.stderr).toBe(true);
      expect(result.stdout).toBe("");
      expect(existsSync(html)).toBe(false);
    }
  }, 120_000);

  it("prints what docs/backtest.md's example says, line for line", async () => {
    const doc = readFileSync("docs/backtest.md", "utf8");
    const command = /```sh\n(npm run backtest -- --account paper [^\n]+)\n```/.exec(doc)?.[1] ?? "";
    const quoted = /```text\n(Portfolio backtest of account paper[\s\S]*?)\n```/.exec(doc)?.[1];
    const args = command.replace("npm run backtest -- ", "").split(" ");
    const result = await runCliAsync("backtest", [...args, "--data-dir", join(dir, "doc")], OFFLINE);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trimEnd()).toBe(quoted);
  }, 120_000);
});
