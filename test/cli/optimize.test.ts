import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWatchlist } from "../../shared/adapters/config/watchlist.ts";
import { BNB_4H_CSV } from "../helpers/backtest-cli.ts";
import { chartProblems, inChromium } from "../helpers/browser.ts";
import { runCliAsync, startCli } from "../helpers/run-cli.ts";

const OFFLINE = { BINANCE_BASE_URL: "http://127.0.0.1:9" };
const MARKET = [
  "--symbol",
  "BNBUSDT",
  "--timeframe",
  "4h",
  "--csv",
  BNB_4H_CSV,
  "--tick",
  "0.01",
  "--step",
  "0.001",
  "--min-notional",
  "5",
];
const GRID = [
  "--strategy",
  "ma-distance",
  "--param",
  "maPeriod=10..100:10",
  "--param",
  "buyThreshold=-6..-1:1",
];

interface Result {
  evaluated: number;
  ranked: { setting: Record<string, number>; metrics: Record<string, number | null>; score: number | null }[];
  walkForward: {
    windows: {
      chosen?: Record<string, number>;
      trainFrom: number;
      trainTo: number;
      testTo: number;
      inSample?: { maxDrawdownPct: number };
    }[];
    inSample: { maxDrawdownPct: number };
    stitched: number[];
    changes: number;
  };
  overfitting: {
    pbo: number;
    splits: number;
    deflatedSharpe: number;
    chosenDeflatedSharpe: number;
    bestDailySharpe: number;
    trials: number;
  };
  watchlistEntry: Record<string, unknown>;
}

const optimize = async (args: string[]) => {
  const run = await runCliAsync("optimize", [...MARKET, ...args], OFFLINE);
  return run;
};

describe("npm run optimize", () => {
  it("ranks a grid with the backtest's own figures, walks forward, measures overfitting, and gives an entry cdk.json takes", async () => {
    const run = await optimize([...GRID, "--walk-forward", "train=3m,test=1m", "--json"]);
    expect(run.stderr).toBe("");
    const result = JSON.parse(run.stdout) as Result;
    expect(result.evaluated).toBe(60);
    // The best setting's figures are npm run backtest's for that setting.
    const best = result.ranked[0];
    const params = Object.entries(best?.setting ?? {}).flatMap(([k, v]) => ["--param", `${k}=${v}`]);
    const backtest = JSON.parse(
      (await runCliAsync("backtest", [...MARKET, "--strategy", "ma-distance", ...params, "--json"], OFFLINE))
        .stdout,
    ) as Record<string, number>;
    expect(best?.metrics).toMatchObject({
      returnPct: backtest.totalReturnPct,
      sharpe: backtest.sharpe,
      sortino: backtest.sortino,
      calmar: backtest.calmar,
      maxDrawdownPct: backtest.maxDrawdownPct,
    });
    expect(best?.metrics.profitFactor).toBeCloseTo(backtest.profitFactor as number, 3);
    expect(best?.metrics.entries).toBe((backtest.trades as number) + (backtest.openTrades as number));
    // Ranked by Sharpe, best first, among settings with at least 5 trades.
    const scores = result.ranked.filter((r) => r.score !== null).map((r) => r.score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(
      result.ranked.filter((r) => r.score !== null).every((r) => (r.metrics.entries as number) >= 5),
    ).toBe(true);
    // Six monthly test windows after three months of training, chained day by day.
    const windows = result.walkForward.windows;
    expect(windows).toHaveLength(6);
    for (const [i, w] of windows.entries()) {
      if (i > 0) expect(w.trainTo).toBe(windows[i - 1]?.testTo);
      expect(w.trainTo).toBeGreaterThan(w.trainFrom);
    }
    // In-sample: the mean of the windows' chosen settings' training figures, drawdown included.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const drawdowns = windows.map((w) => w.inSample?.maxDrawdownPct as number);
    expect(result.walkForward.inSample.maxDrawdownPct).toBeCloseTo(mean(drawdowns), 4);
    expect(result.walkForward.stitched).toHaveLength(
      (windows.at(-1)?.testTo ?? 0) - (windows[0]?.trainTo ?? 0),
    );
    expect(result.overfitting.splits).toBe(252);
    expect(result.overfitting.pbo).toBeGreaterThanOrEqual(0);
    expect(result.overfitting.pbo).toBeLessThanOrEqual(1);
    expect(result.overfitting.trials).toBe(60);
    // The entry is the last window's choice, and cdk.json's watchlist takes it as it is.
    expect(result.watchlistEntry.params).toEqual(windows.at(-1)?.chosen);
    expect(parseWatchlist([result.watchlistEntry], "paper")[0]?.strategy.params).toMatchObject(
      windows.at(-1)?.chosen ?? {},
    );
    // One daily series everywhere: the ranked Sharpe is the overfitting statistics' daily Sharpe,
    // annualised (the first traded candle opens at 20:00: that partial day is in neither).
    expect(result.ranked[0]?.metrics.sharpe).toBeCloseTo(
      result.overfitting.bestDailySharpe * Math.sqrt(365),
      3,
    );
    // Every ranked row has a score key: a number, or null for an unranked setting.
    expect(
      result.ranked.every((r) => "score" in r && (r.score === null || typeof r.score === "number")),
    ).toBe(true);
    // Its deflated Sharpe ratio is its own setting's, not the whole period's best's.
    const entryDsr = (result.watchlistEntry.optimized as { deflatedSharpe: number }).deflatedSharpe;
    expect(entryDsr).toBe(Math.round(result.overfitting.chosenDeflatedSharpe * 1e4) / 1e4);
    const bestIsChosen = JSON.stringify(result.ranked[0]?.setting) === JSON.stringify(windows.at(-1)?.chosen);
    if (!bestIsChosen)
      expect(result.overfitting.chosenDeflatedSharpe).not.toBe(result.overfitting.deflatedSharpe);
  }, 120_000);

  it("says so when no training window had a setting with enough trades (every test window in cash)", async () => {
    const run = await optimize([
      "--strategy",
      "ma-distance",
      "--param",
      "maPeriod=20,40",
      "--walk-forward",
      "train=3m,test=1m",
      "--min-trades",
      "500",
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      "  in-sample: no training window had a setting with 500 trade(s) or more; every test window stayed in cash\n  out-of-sample (each test window's chosen setting's own returns, chained; not one account switching settings): return +0.00 %",
    );
    // Unranked settings (too few trades) carry no rank number.
    expect(run.stdout).toMatch(/\n {2}– {2,}maPeriod=20 /);
    expect(run.stdout).not.toMatch(/\n {2}1 {2,}maPeriod=/);
    expect(run.stdout).toContain("No setting qualifies for a watchlist entry.");
  }, 60_000);

  it("flags a test window much shorter than the others (the period's last, cut short)", async () => {
    const run = await optimize([
      "--strategy",
      "ma-distance",
      "--param",
      "maPeriod=20,40",
      "--walk-forward",
      "train=3m,test=55d",
    ]);
    expect(run.status).toBe(0);
    const rows = run.stdout.split("\n").filter((l) => /^ {2}2025-\d\d-\d\d to /.test(l));
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.at(-1)).toMatch(/to 2025-11-14 \(short: \d+ days\)/);
    expect(rows.slice(0, -1).every((r) => !r.includes("short"))).toBe(true);
  }, 60_000);

  it("samples the same settings for the same seed, and gives the same answer on one thread or several", async () => {
    const sampled = [
      "--strategy",
      "ma-distance",
      "--param",
      "maPeriod=10..150",
      "--param",
      "buyThreshold=-8..-1",
      "--samples",
      "40",
    ];
    const [a, b, c] = await Promise.all([
      optimize([...sampled, "--seed", "7", "--json", "--workers", "1"]),
      optimize([...sampled, "--seed", "7", "--json", "--workers", "2"]),
      optimize([...sampled, "--seed", "8", "--json", "--workers", "2"]),
    ]);
    const ranked = (run: { stdout: string }) => (JSON.parse(run.stdout) as Result).ranked;
    expect(ranked(a)).toHaveLength(40);
    expect(ranked(b)).toEqual(ranked(a));
    expect(ranked(c)).not.toEqual(ranked(a));
    expect(
      ranked(a).every((r) => (r.setting.maPeriod as number) >= 10 && (r.setting.maPeriod as number) <= 150),
    ).toBe(true);
  }, 120_000);

  it("refuses more worker threads than twice the cores, naming the bound", async () => {
    const run = await optimize([
      "--strategy",
      "ma-distance",
      "--param",
      "maPeriod=10,20",
      "--workers",
      "100000",
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^Error: --workers 100000: at most \d+ \(twice this machine's \d+ cores\); more threads than cores only slow the search$/,
    );
  });

  it("samples the account's rules too: --samples over stake and risk ranges draws them (never empty settings)", async () => {
    const run = await optimize([
      "--strategy",
      "ma-distance",
      "--param",
      "stake=0.1..0.9",
      "--param",
      "risk.cooldownCandles=1..6",
      "--samples",
      "12",
      "--json",
      "--workers",
      "1",
    ]);
    expect(run.status, run.stderr).toBe(0);
    const ranked = (JSON.parse(run.stdout) as Result).ranked;
    expect(ranked).toHaveLength(12);
    for (const { setting } of ranked) {
      expect(Object.keys(setting).sort()).toEqual(["risk.cooldownCandles", "stake"]);
      expect(setting.stake).toBeGreaterThanOrEqual(0.1);
      expect(setting.stake).toBeLessThanOrEqual(0.9);
      expect(Number.isInteger(setting["risk.cooldownCandles"])).toBe(true);
    }
    expect(new Set(ranked.map((r) => r.setting.stake)).size).toBeGreaterThan(1);
  }, 120_000);

  it("searches the account's rules too (stake, trailing stop, cooldown): the best equals its backtest, and its entry carries the risk", async () => {
    const run = await optimize([
      "--strategy",
      "ma-distance",
      "--param",
      "maPeriod=20,40",
      "--param",
      "stake=0.1,0.3",
      "--param",
      "risk.trailingActivationPct=1,3",
      "--param",
      "risk.trailingDistancePct=0.5,1.5",
      "--param",
      "risk.cooldownCandles=2",
      "--json",
    ]);
    expect(run.stderr).toBe("");
    const result = JSON.parse(run.stdout) as Result;
    expect(result.evaluated).toBe(16);
    const best = result.ranked[0]?.setting as Record<string, number>;
    const risk = {
      trailingStop: {
        activationPct: best["risk.trailingActivationPct"],
        distancePct: best["risk.trailingDistancePct"],
      },
      protections: { cooldownCandles: 2 },
    };
    const flags = [
      "--param",
      `maPeriod=${best.maPeriod}`,
      "--stake",
      String(best.stake),
      "--risk",
      JSON.stringify(risk),
    ];
    const backtest = JSON.parse(
      (await runCliAsync("backtest", [...MARKET, "--strategy", "ma-distance", ...flags, "--json"], OFFLINE))
        .stdout,
    ) as Record<string, number>;
    expect(result.ranked[0]?.metrics).toMatchObject({
      returnPct: backtest.totalReturnPct,
      sharpe: backtest.sharpe,
    });
    expect(result.watchlistEntry).toMatchObject({
      params: { maPeriod: best.maPeriod },
      risk: { trailingStop: risk.trailingStop, protections: risk.protections },
      optimized: { stakeFraction: `${best.stake} (tradingBot.stakeFractions["4h"])` },
    });
    expect(parseWatchlist([result.watchlistEntry], "paper")[0]?.risk?.protections.cooldownCandles).toBe(2);
  }, 120_000);

  it.each([
    [
      ["--strategy", "ma-distance", "--param", "period=5"],
      'Error: --param period=5: ma-distance has no parameter "period"; its parameters: maPeriod, buyThreshold, sellThreshold, stopLossPct; the rules\': stake, risk.riskPerTradePct, risk.trailingActivationPct, risk.trailingDistancePct, risk.cooldownCandles',
    ],
    [
      ["--strategy", "fibonacci-golden-zone", "--param", "zoneLow=0.7", "--param", "zoneHigh=0.6"],
      'Error: every setting was refused (1); the first: {"zoneLow":0.7,"zoneHigh":0.6}: strategy fibonacci-golden-zone: strategy parameter zoneLow (0.7) is above zoneHigh (0.6)',
    ],
    [
      ["--strategy", "ma-distance", "--param", "maPeriod=10,20", "--heatmap", "maPeriod"],
      "Error: --heatmap maPeriod: name two of the searched parameters, e.g. --heatmap maPeriod",
    ],
    [
      ["--strategy", "ma-distance", "--param", "maPeriod=10..100"],
      "Error: --param maPeriod: a range without a step is for --samples; add :step for a grid",
    ],
    [
      ["--strategy", "ma-distance", "--objective", "profit"],
      'Error: --objective must be one of sharpe, sortino, calmar, return, profit-factor, got "profit"',
    ],
    [
      ["--strategy", "ma-distance", "--walk-forward", "train=6,test=1m"],
      "Error: --walk-forward train=6,test=1m: train= must be a span such as 30d, 2w, 6m or 1y",
    ],
    [
      ["--strategy", "ma-distance", "--param", "maPeriod=1..5:1"],
      "Error: --param maPeriod=1..5:1: maPeriod must be between 2 and 1000, not 1",
    ],
    [
      [
        "--strategy",
        "ma-distance",
        "--param",
        "maPeriod=2..1000:1",
        "--param",
        "buyThreshold=-50..-0.01:0.01",
        "--param",
        "sellThreshold=0.01..50:0.01",
      ],
      "Error: the grid holds 24,975,000,000 settings, more than the 100,000 one search runs; narrow a --param, use a coarser step, or split the search",
    ],
    [
      ["--strategy", "ma-distance", "--param", "maPeriod=10..100", "--samples", "1000000000"],
      "Error: --samples holds 1,000,000,000 settings, more than the 100,000 one search runs; narrow a --param, use a coarser step, or split the search",
    ],
    [
      [
        "--strategy",
        "ma-distance",
        "--param",
        "maPeriod=10,20",
        "--param",
        "buyThreshold=-2,-1",
        "--heatmap",
        "constructor,toString",
      ],
      "Error: --heatmap constructor,toString: name two of the searched parameters, e.g. --heatmap maPeriod,buyThreshold",
    ],
    [
      [
        "--strategy",
        "ma-distance",
        "--param",
        "maPeriod=10,20",
        "--param",
        "buyThreshold=-2,-1",
        "--heatmap",
        "maPeriod,maPeriod",
      ],
      "Error: --heatmap maPeriod,maPeriod: name two of the searched parameters, e.g. --heatmap maPeriod,buyThreshold",
    ],
    [
      ["--strategy", "ma-distance", "--param", "maPeriod=10,20", "--html", "/nonexistent-folder/page.html"],
      "Error: --html /nonexistent-folder/page.html: the folder /nonexistent-folder does not exist; create it, or name another",
    ],
    [
      ["--strategy", "ma-distance", "--param", "maPeriod=10,20", "--html", "/tmp/"],
      "Error: --html /tmp/: /tmp/ is a folder; name a file in it",
    ],
    [
      ["--strategy", "ma-distance", "--param", "maPeriod=20,40", "--walk-forward", "train=1y,test=6m"],
      "Error: --walk-forward train=1y,test=6m: no window fits: the training span alone is 365 days and the data has 269 days (2025-02-19 on); shorten train= or give a longer period",
    ],
    [
      ["--strategy", "ma-distance", "--param", "maPeriod=10,20", "--seed", "3"],
      "Error: --seed seeds --samples' draws: add --samples <n>, or leave --seed out for the grid",
    ],
    [
      ["--strategy", "fibonacci-golden-zone", "--samples", "10"],
      "Error: --samples draws from the ranges you give: add one or more, e.g. --param emaFast=1..200 (a parameter's hard bounds are no search range)",
    ],
  ])("refuses %j in one line, exit 2", async (args, line) => {
    const run = await optimize(args);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(line);
  });

  it("writes a page that works offline in a real browser: heatmap, in- and out-of-sample equity, windows", async () => {
    const html = join(mkdtempSync(join(tmpdir(), "optimize-")), "optimize.html");
    const run = await optimize([
      ...GRID,
      "--walk-forward",
      "train=3m,test=1m",
      "--html",
      html,
      "--heatmap",
      "buyThreshold,maPeriod",
    ]);
    expect(run.stdout).toContain(`HTML report: ${html}`);
    const page = readFileSync(html, "utf8");
    expect(page).toContain("<th>maPeriod \\ buyThreshold</th>"); // rows maPeriod, columns buyThreshold, as asked
    const errors = await inChromium(html, async (tab) => {
      expect(await tab.locator("#equity-chart canvas").count()).toBeGreaterThan(0);
      expect(await chartProblems(tab, ["equity-chart"])).toEqual([]);
      expect(await tab.locator("table.heatmap td").count()).toBe(60);
      // What the terminal says about overfitting is on the page too, and the heatmap explains itself.
      const stats = (await tab.locator("table.statistics").textContent()) ?? "";
      expect(stats).toMatch(/Probability of backtest overfitting \(CSCV, 252 splits\)\d+\.\d\d %/);
      expect(stats).toContain("Deflated Sharpe ratio of the best setting (60 settings tried)");
      expect(stats).toContain("Out-of-sample (each window's chosen setting's own returns, chained)return");
      const legendText = (await tab.locator("p.heatmap-legend").textContent()) ?? "";
      expect(legendText).toContain("(lowest)");
      expect(legendText).toContain("(highest)");
      expect(legendText.replace(/\s+/g, " ")).toContain("blank cell has no ranked setting");
      expect(await tab.locator("table.heatmap td small").first().textContent()).toMatch(/^ ×\d+$/);
    });
    expect(errors).toEqual([]);
  }, 120_000);
});

describe("npm run optimize, stopped with Ctrl-C", () => {
  it("finishes the settings in flight and reports the best so far, exit 0", async () => {
    const { child, done } = startCli(
      "optimize",
      [
        ...MARKET,
        "--strategy",
        "ma-distance",
        "--param",
        "maPeriod=5..204:1",
        "--param",
        "buyThreshold=-10..-0.1:0.1",
        "--workers",
        "1",
      ],
      OFFLINE,
    );
    // 19,800 settings take far longer than this (about 30 s on one core): the signal comes mid-run,
    // after the command has started even on a loaded machine.
    setTimeout(() => child.kill("SIGINT"), 4_000);
    const { status, stdout, stderr } = await done;
    expect(status).toBe(0);
    expect(stderr).toContain("Stopping after the settings in flight (Ctrl-C again to quit now)");
    const stopped = /stopped: (\d+) setting\(s\) not run; the best so far:/.exec(stdout);
    expect(Number(stopped?.[1])).toBeGreaterThan(0);
    expect(Number(stopped?.[1])).toBeLessThan(19_800);
    expect(stdout).toMatch(/\n {2}1 +maPeriod=\d+ buyThreshold=-?[\d.]+ /);
  }, 60_000);
});
