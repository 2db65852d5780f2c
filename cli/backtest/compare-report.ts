import { readFileSync } from "node:fs";
import type { BacktestReport } from "../../shared/application/backtest/backtest-report.ts";
import type { BacktestRun } from "../../shared/application/backtest/run-backtest.ts";
import { money, percent, utcTime } from "../../shared/application/format.ts";
import { underwater } from "../../shared/domain/backtest/performance.ts";
import { timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { CHART_LIBRARY, escapeHtml, safeJson } from "./html-report.ts";
import { legend, PAGE_STYLE } from "./page-style.ts";

type Compared = BacktestReport & { strategy: { name: string } };

const ratio = (value: number | null) => (value === null ? "n/a" : value.toFixed(2));
const share = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(2)} %`);

/** One row per strategy: what a trader compares first (percentages and ratios to 2 decimals). */
function rows(reports: readonly Compared[]): string[][] {
  return reports.map((r) => [
    r.strategy.name,
    percent(r.totalReturnPct),
    percent(r.cagrPct),
    share(r.maxDrawdownPct),
    String(r.trades + r.openTrades),
    share(r.winRatePct),
    ratio(r.profitFactor),
    ratio(r.sharpe),
    ratio(r.sortino),
    share(r.timeInMarketPct),
    money(r.feesPaid),
    money(r.finalEquity),
  ]);
}

const HEADER = [
  "strategy",
  "return",
  "CAGR",
  "max drawdown",
  "trades",
  "win rate",
  "profit factor",
  "Sharpe",
  "Sortino",
  "time in market",
  "fees",
  "final equity",
];

/** The benchmark, said once and apart from the buy-and-hold strategy (which buys once and pays a fee). */
const benchmark = (r: Compared) =>
  `The market (buy at the first open, sell at the last close, no fee): ${percent(r.buyAndHoldReturnPct)}`;

/** Several strategies on the same candles, in the terminal. */
export function formatComparison(reports: readonly Compared[]): string {
  const first = reports[0];
  if (!first) return "";
  const table = [HEADER, ...rows(reports)];
  const widths = HEADER.map((_, c) => Math.max(...table.map((row) => (row[c] ?? "").length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  ");
  return `${[
    `Compared on ${first.symbol} ${first.timeframe}: ${utcTime(first.from)} → ${utcTime(first.to)}, ${first.cycles} cycles each`,
    benchmark(first),
    "",
    ...table.map((row) => `  ${line(row)}`),
  ].join("\n")}\n`;
}

const COLORS = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f"];

/** One self-contained page: the figures side by side and every strategy's equity against buy and hold. */
export function compareHtml(items: readonly { report: Compared; run: BacktestRun }[]): string {
  const first = items[0];
  if (!first) return "";
  // Every point at its candle's close (UTC), as the single report draws it.
  const interval = timeframeMs(first.report.timeframe);
  const seconds = (openTime: number) => Math.floor((openTime + interval) / 1000);
  const firstCandle = first.run.steps[0]?.candle;
  const initial = Number(first.report.initialBalance);
  const data = {
    curves: items.map(({ report, run }, i) => ({
      name: report.strategy.name,
      color: COLORS[i % COLORS.length],
      points: run.steps.map((s) => ({ time: seconds(s.candle.openTime), value: s.equity })),
      drawdown: underwater(run.steps.map((s) => ({ time: s.candle.openTime, equity: s.equity }))).map(
        (point) => ({ time: seconds(point.time), value: Math.round(point.equity * 10_000) / 100 }),
      ),
    })),
    buyAndHold: first.run.steps.map((s) => ({
      time: seconds(s.candle.openTime),
      value: firstCandle ? (initial * s.candle.close) / firstCandle.open : 0,
    })),
  };
  const table = [HEADER, ...rows(items.map((i) => i.report))]
    .map(
      (row, r) =>
        `<tr>${row.map((cell) => (r === 0 ? `<th>${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join("")}</tr>`,
    )
    .join("\n");
  const title = `Strategies compared on ${first.report.symbol} ${first.report.timeframe}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}.small{height:200px}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>Each strategy replayed through the same trading cycle the Lambda runs, on the same candles (${escapeHtml(utcTime(first.report.from))} → ${escapeHtml(utcTime(first.report.to))}), from ${escapeHtml(first.report.initialBalance)} USDT. Times are UTC, each at its candle's close. ${escapeHtml(benchmark(first.report))}.</p>
<table class="data">${table}</table>
<h2>Equity (USDT), against buy and hold</h2>${legend("equity-legend", [...data.curves.map((c) => ({ name: c.name, color: c.color as string })), { name: "the market (no fee)", color: "#9e9e9e" }])}<div id="equity-chart" class="chart"></div>
<h2>Drawdown (underwater, %)</h2><div id="drawdown-chart" class="chart small"></div>
<script>${readFileSync(CHART_LIBRARY, "utf8").replace(/<\/script/gi, "<\\/script")}</script>
<script type="application/json" id="report-data">${safeJson(data)}</script>
<script>
const data = JSON.parse(document.getElementById("report-data").textContent);
const { createChart, LineSeries } = LightweightCharts;
const chart = createChart(document.getElementById("equity-chart"), { layout: { background: { color: "#ffffff" }, textColor: "#222" }, timeScale: { timeVisible: true }, autoSize: true });
for (const curve of data.curves) chart.addSeries(LineSeries, { color: curve.color, lineWidth: 2 }).setData(curve.points);
chart.addSeries(LineSeries, { color: "#9e9e9e", lineWidth: 1 }).setData(data.buyAndHold);
chart.timeScale().fitContent();
const drawdown = createChart(document.getElementById("drawdown-chart"), { layout: { background: { color: "#ffffff" }, textColor: "#222" }, timeScale: { timeVisible: true }, autoSize: true });
for (const curve of data.curves) drawdown.addSeries(LineSeries, { color: curve.color, lineWidth: 1, lastValueVisible: false, priceLineVisible: false }).setData(curve.drawdown);
drawdown.priceScale("right").applyOptions({ scaleMargins: { top: 0.1, bottom: 0.12 }, entireTextOnly: true });
drawdown.timeScale().fitContent();
document.body.dataset.rendered = "true";
</script>
</body></html>`;
}
