import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BNB_4H_CSV, useBacktestCli } from "../helpers/backtest-cli.ts";
import { chartProblems, inChromium, priceLabelCut } from "../helpers/browser.ts";

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
    // One time convention: every chart point, marker and trade line sits at a candle's close (UTC).
    const data = JSON.parse(/id="report-data">(.*?)<\/script>/s.exec(page)?.[1] ?? "{}") as {
      candles: { time: number }[];
      equity: { time: number }[];
      markers: { time: number; text: string }[];
      trades: { from: number; to: number }[];
    };
    const closes = new Set(data.candles.map((c) => c.time));
    // The period starts as the first traded candle opens (2025-02-19 20:00); it is drawn at its close.
    expect(data.candles[0]?.time).toBe(Date.UTC(2025, 1, 20) / 1000);
    expect(data.equity.map((p) => p.time)).toEqual([...closes]);
    const first = data.markers.find((m) => m.text.startsWith("BUY"));
    expect(first?.time).toBe(Date.UTC(2025, 4, 18, 20) / 1000); // the fills table's "2025-05-18 20:00"
    for (const t of data.trades) expect([closes.has(t.from), closes.has(t.to)]).toEqual([true, true]);
    for (const m of data.markers) expect(closes.has(m.time)).toBe(true);
    const errors = await inChromium(html, async (tab) => {
      expect(await tab.locator("#price-chart canvas").count()).toBeGreaterThan(0);
      expect(await tab.locator("#equity-chart canvas").count()).toBeGreaterThan(0);
      expect(await tab.locator("#drawdown-chart canvas").count()).toBeGreaterThan(0);
      // As drawn: every chart has ink, its axis labels end inside its box, no legend over it.
      expect(await chartProblems(tab, ["price-chart", "equity-chart", "drawdown-chart"])).toEqual([]);
      // The drawdown's lowest scale label is drawn whole or not at all (it was cut in half).
      expect(await priceLabelCut(tab, "drawdown-chart")).toBe(false);
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
        maxDrawdownPct: number;
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
    // Each strategy's underwater curve, its deepest point its reported maximum drawdown, at candle closes.
    const page = readFileSync(html, "utf8");
    const data = JSON.parse(/id="report-data">(.*?)<\/script>/s.exec(page)?.[1] ?? "{}") as {
      curves: { name: string; points: { time: number }[]; drawdown: { time: number; value: number }[] }[];
    };
    for (const [i, curve] of data.curves.entries()) {
      expect(Math.min(...curve.drawdown.map((p) => p.value))).toBeCloseTo(
        -(reports[i]?.maxDrawdownPct ?? 0),
        1,
      );
      expect(curve.points[0]?.time).toBe(Date.UTC(2025, 1, 20) / 1000);
    }
    const errors = await inChromium(html, async (tab) => {
      expect(await tab.locator("#equity-chart canvas").count()).toBeGreaterThan(0);
      expect(await tab.locator("table").first().textContent()).toContain("ma-distance");
      expect(await tab.locator("#drawdown-chart canvas").count()).toBeGreaterThan(0);
      expect(await chartProblems(tab, ["equity-chart", "drawdown-chart"])).toEqual([]);
      expect(await priceLabelCut(tab, "drawdown-chart")).toBe(false);
      expect(await tab.locator("#equity-legend").textContent()).toContain("the market (no fee)");
    });
    expect(errors).toEqual([]);
  }, 90_000);
});
