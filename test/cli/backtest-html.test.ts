import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BNB_4H_CSV, useBacktestCli } from "../helpers/backtest-cli.ts";
import { chartProblems, inChromium } from "../helpers/browser.ts";

const { dir, backtest } = useBacktestCli();
const csv = BNB_4H_CSV;

describe("npm run backtest's HTML report, in headless Chromium", () => {
  it("renders an HTML report that works offline, in a real browser, without console errors", async () => {
    const html = join(dir, "report.html");
    const run = await backtest(["--symbol", "BNBUSDT", "--timeframe", "4h", "--csv", csv, "--html", html]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("total return      -0.51 %   (buy and hold +42.14 %)");
    expect(run.stdout).toContain("10000.00 → 9949.22 USDT (net -50.78, fees paid 1.95)");
    const page = readFileSync(html, "utf8");
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/); // nothing to fetch
    const errors = await inChromium(html, async (tab) => {
      expect(await tab.locator("#price-chart canvas").count()).toBeGreaterThan(0);
      expect(await tab.locator("#equity-chart canvas").count()).toBeGreaterThan(0);
      expect(await tab.locator("#drawdown-chart canvas").count()).toBeGreaterThan(0);
      // As drawn: every chart has ink, its axis labels end inside its box, no legend over it.
      expect(await chartProblems(tab, ["price-chart", "equity-chart", "drawdown-chart"])).toEqual([]);
      expect(await tab.locator("#equity-legend").textContent()).toContain("DCA");
      const summary = await tab.locator("table.summary").textContent();
      for (const text of [
        "Max drawdown1.32 % over 26 days",
        "Net PnL, after fees (USDT)-50.78",
        "Total return-0.51 %",
        "CAGR",
      ])
        expect(summary).toContain(text);
      expect(await tab.locator("table", { hasText: "month" }).textContent()).toContain("2025-06-0.81 %");
      // The trade list zooms the chart to the trade.
      await tab.locator("tr.trade").first().click();
      expect(await tab.locator("body").getAttribute("data-zoomed")).toBe(
        String(Date.UTC(2025, 4, 18, 20) / 1000),
      );
    });
    expect(errors).toEqual([]);
  }, 60_000);

  it("compares strategies on the same candles: one report, equity curves side by side, in a real browser", async () => {
    const html = join(dir, "compare.html");
    const args = ["--symbol", "BNBUSDT", "--timeframe", "4h", "--csv", csv];
    const compare = [
      "--compare",
      "fibonacci-golden-zone,ma-distance,buy-and-hold,dca",
      "--param",
      "ma-distance.maPeriod=100",
    ];
    const run = await backtest([...args, ...compare, "--json", "--html", html]);
    expect(run.stderr).toBe("");
    const { compare: reports } = JSON.parse(run.stdout) as {
      compare: {
        strategy: { name: string; params: Record<string, number> };
        totalReturnPct: number;
        buyAndHoldReturnPct: number;
        cycles: number;
      }[];
    };
    expect(reports.map((r) => r.strategy.name)).toEqual([
      "fibonacci-golden-zone",
      "ma-distance",
      "buy-and-hold",
      "dca",
    ]);
    expect(reports[1]?.strategy.params.maPeriod).toBe(100);
    expect(new Set(reports.map((r) => r.cycles))).toEqual(new Set([1607]));
    // The Fibonacci result is today's, and buy-and-hold is the market less one fee and the rounding.
    expect(reports[0]?.totalReturnPct).toBe(-0.5078);
    const [bh] = reports.filter((r) => r.strategy.name === "buy-and-hold");
    expect(Math.abs((bh?.totalReturnPct ?? 0) - (bh?.buyAndHoldReturnPct ?? 0))).toBeLessThan(1);
    const single = await backtest([
      ...args,
      "--strategy",
      "ma-distance",
      "--param",
      "maPeriod=100",
      "--json",
    ]);
    expect((JSON.parse(single.stdout) as { totalReturnPct: number }).totalReturnPct).toBe(
      reports[1]?.totalReturnPct,
    );

    const text = await backtest([...args, ...compare]);
    expect(text.stdout).toMatch(/strategy\s+return\s+CAGR\s+max drawdown/);
    // Percentages to 2 decimals, signed; the market said once, apart from the buy-and-hold strategy.
    expect(text.stdout).toMatch(/buy-and-hold\s+\+41\.50 %/);
    expect(text.stdout).toContain(
      "The market (buy at the first open, sell at the last close, no fee): +42.14 %",
    );
    expect(text.stdout).not.toMatch(/\d\.\d{3,} %/);
    expect(text.stdout).not.toMatch(/T\d\d:\d\d/); // no ISO times
    const errors = await inChromium(html, async (tab) => {
      expect(await tab.locator("#equity-chart canvas").count()).toBeGreaterThan(0);
      expect(await tab.locator("table").first().textContent()).toContain("ma-distance");
      expect(await chartProblems(tab, ["equity-chart"])).toEqual([]);
      expect(await tab.locator("#equity-legend").textContent()).toContain("the market (no fee)");
    });
    expect(errors).toEqual([]);
  }, 90_000);
});
