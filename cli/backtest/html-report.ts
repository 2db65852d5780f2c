import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { BacktestReport } from "../../shared/application/backtest/backtest-report.ts";
import type { BacktestRun } from "../../shared/application/backtest/run-backtest.ts";
import { duration, money, percent, price, signedMoney, utcTime } from "../../shared/application/format.ts";
import { underwater } from "../../shared/domain/backtest/performance.ts";
import { type Timeframe, timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { legend, PAGE_STYLE } from "./page-style.ts";
import { blockedText } from "./protections-compare.ts";
import type { RunParameters } from "./summary.ts";

const require = createRequire(import.meta.url);
// The package exports only its ES module; the standalone build (a global, no imports) sits beside it.
export const CHART_LIBRARY = join(
  dirname(require.resolve("lightweight-charts/package.json")),
  "dist/lightweight-charts.standalone.production.js",
);

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
/** JSON that cannot close the script element it sits in. */
export const safeJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/** The data the page draws: candles, each trade's levels and fills, equity against buy and hold. */
function chartData(run: BacktestRun, initialBalance: number, timeframe: Timeframe) {
  // Every point at its candle's close (UTC), as the fills, the trade list and the summary say.
  const interval = timeframeMs(timeframe);
  const seconds = (openTime: number) => Math.floor((openTime + interval) / 1000);
  const first = run.steps[0]?.candle;
  const candles = run.steps.map(({ candle: c }) => ({
    time: seconds(c.openTime),
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
  }));
  const equity = run.steps.map((s) => ({ time: seconds(s.candle.openTime), value: s.equity }));
  const buyAndHold = run.steps.map((s) => ({
    time: seconds(s.candle.openTime),
    value: first ? (initialBalance * s.candle.close) / first.open : 0,
  }));
  // Dollar-cost averaging over the same candles: an equal share of the balance bought at every close.
  const share = run.steps.length ? initialBalance / run.steps.length : 0;
  let held = 0;
  const dca = run.steps.map((s, i) => {
    held += share / s.candle.close;
    return {
      time: seconds(s.candle.openTime),
      value: initialBalance - share * (i + 1) + held * s.candle.close,
    };
  });
  const trades: {
    from: number;
    to: number;
    zone: [number, number];
    stop: number;
    tp1: number;
    tp2: number;
  }[] = [];
  const markers: { time: number; position: string; color: string; shape: string; text: string }[] = [];
  let open: (typeof trades)[number] | undefined;
  for (const { candle, result } of run.steps) {
    const time = seconds(candle.openTime);
    for (const exit of result.exits) {
      markers.push({
        time: seconds(Date.parse(exit.candle)),
        position: "aboveBar",
        color: Number(exit.realizedPnl) > 0 ? "#2e7d32" : "#c62828",
        shape: "arrowDown",
        text: `${exit.reason} ${exit.price}`,
      });
      if (open && result.position === null) {
        open.to = seconds(Date.parse(exit.candle));
        open = undefined;
      }
    }
    if (result.entry && result.position) {
      // A strategy with Fibonacci levels shows its golden zone; others have none.
      const levels = (result.signal?.levels ?? {}) as Record<string, number | undefined>;
      open = {
        from: time,
        to: candles.at(-1)?.time ?? time,
        zone: [Number(levels["0.500"]), Number(levels["0.618"])],
        stop: Number(result.position.stopLoss),
        tp1: Number(result.position.takeProfit1),
        tp2: Number(result.position.takeProfit2),
      };
      trades.push(open);
      markers.push({
        time,
        position: "belowBar",
        color: "#1565c0",
        shape: "arrowUp",
        text: `BUY ${result.entry.quantity} @ ${result.entry.price}`,
      });
    }
  }
  markers.sort((a, b) => a.time - b.time);
  const drawdown = underwater(run.steps.map((st) => ({ time: st.candle.openTime, equity: st.equity }))).map(
    (point) => ({ time: seconds(point.time), value: Math.round(point.equity * 10_000) / 100 }),
  );
  return { candles, equity, buyAndHold, dca, drawdown, trades, markers };
}

const PAGE_SCRIPT = `
const data = JSON.parse(document.getElementById("report-data").textContent);
const { createChart, CandlestickSeries, LineSeries, createSeriesMarkers, LineStyle } = LightweightCharts;
const base = { layout: { background: { color: "#ffffff" }, textColor: "#222" }, timeScale: { timeVisible: true }, autoSize: true };
const priceChart = createChart(document.getElementById("price-chart"), base);
const candles = priceChart.addSeries(CandlestickSeries, {});
candles.setData(data.candles);
createSeriesMarkers(candles, data.markers);
const segment = (from, to, value, color, style) => {
  if (typeof value !== "number") return; // an exit or zone the strategy does not have
  const line = priceChart.addSeries(LineSeries, { color, lineWidth: 1, lineStyle: style, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false });
  line.setData([{ time: from, value }, { time: to, value }]);
};
for (const t of data.trades) {
  if (t.to <= t.from) continue;
  segment(t.from, t.to, t.zone[0], "#f9a825", LineStyle.Solid);
  segment(t.from, t.to, t.zone[1], "#f9a825", LineStyle.Solid);
  segment(t.from, t.to, t.stop, "#c62828", LineStyle.Dashed);
  segment(t.from, t.to, t.tp1, "#2e7d32", LineStyle.Dashed);
  segment(t.from, t.to, t.tp2, "#2e7d32", LineStyle.Dotted);
}
priceChart.timeScale().fitContent();
const equityChart = createChart(document.getElementById("equity-chart"), base);
equityChart.addSeries(LineSeries, { color: "#1565c0", lineWidth: 2 }).setData(data.equity);
equityChart.addSeries(LineSeries, { color: "#9e9e9e", lineWidth: 1 }).setData(data.buyAndHold);
equityChart.addSeries(LineSeries, { color: "#ef6c00", lineWidth: 1 }).setData(data.dca);
equityChart.timeScale().fitContent();
const drawdownChart = createChart(document.getElementById("drawdown-chart"), base);
drawdownChart.addSeries(LineSeries, { color: "#c62828", lineWidth: 1 }).setData(data.drawdown);
// Room under the deepest point, so the scale's lowest label is drawn whole above the time axis.
drawdownChart.priceScale("right").applyOptions({ scaleMargins: { top: 0.1, bottom: 0.12 }, entireTextOnly: true });
drawdownChart.timeScale().fitContent();
// A trade of the list, clicked: the price chart shows it, with a little room on each side.
for (const row of document.querySelectorAll("tr.trade")) {
  row.addEventListener("click", () => {
    const from = Number(row.dataset.from), to = Number(row.dataset.to);
    const pad = Math.max((to - from) / 2, 86400);
    priceChart.timeScale().setVisibleRange({ from: from - pad, to: to + pad });
    document.getElementById("price-chart").scrollIntoView();
    document.body.dataset.zoomed = String(from);
  });
}
document.body.dataset.rendered = "true";
`;

/** A single HTML file that works offline: the chart library is inside it, no CDN. */
const seconds = (iso: string | null) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0);

export function htmlReport(
  report: BacktestReport & {
    strategy?: { name: string };
    parameters?: RunParameters;
    risk?: string | null;
    blockedEntries?: Record<string, number>;
  },
  run: BacktestRun,
): string {
  const data = chartData(run, Number(report.initialBalance), report.timeframe);
  const p = report.parameters;
  const rows: [string, string][] = [
    ["Period", `${utcTime(report.from)} → ${utcTime(report.to)} (${report.cycles} cycles)`],
    ...(p
      ? ([
          [
            "Strategy",
            `${p.strategy}: ${Object.entries(p.params)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")}`,
          ],
          [
            "Fee, stake, positions",
            `${p.feeRate} per fill, ${p.stakeFraction} of equity per entry, at most ${p.maxOpenPositions}`,
          ],
          [
            "Exchange filters",
            `tick ${p.filters.tick}, step ${p.filters.step}, min notional ${p.filters.minNotional}`,
          ],
          ["Candles", p.source],
        ] as [string, string][])
      : []),
    ["Equity (USDT)", `${money(report.initialBalance)} → ${money(report.finalEquity)}`],
    ["Net PnL, after fees (USDT)", signedMoney(report.netPnl)],
    ["Fees paid (USDT)", money(report.feesPaid)],
    ["Total return", percent(report.totalReturnPct)],
    ["Buy and hold", percent(report.buyAndHoldReturnPct)],
    ["CAGR", percent(report.cagrPct)],
    ["Trades (closed / open)", `${report.trades} / ${report.openTrades}`],
    ["Win rate", report.winRatePct === null ? "n/a" : `${report.winRatePct.toFixed(2)} %`],
    [
      "Expectancy per trade, after fees (USDT)",
      report.expectancy === null ? "n/a" : signedMoney(report.expectancy),
    ],
    ["Average trade duration", duration(report.averageTradeHours)],
    [
      "Winners / losers held",
      `${duration(report.averageWinnerHours)} / ${duration(report.averageLoserHours)}`,
    ],
    [
      "Best / worst trade",
      `${report.bestTradePnl === null || report.bestTradePnl === undefined ? "n/a" : signedMoney(report.bestTradePnl)} / ${report.worstTradePnl === null || report.worstTradePnl === undefined ? "n/a" : signedMoney(report.worstTradePnl)} USDT`,
    ],
    ["Most wins / losses in a row", `${report.maxConsecutiveWins} / ${report.maxConsecutiveLosses}`],
    ["Days won / drawn / lost", `${report.daysWon} / ${report.daysDrawn} / ${report.daysLost}`],
    ["Profit factor", String(report.profitFactor ?? "n/a")],
    [
      "Average win / loss (USDT)",
      `${report.averageWin === null ? "n/a" : money(report.averageWin)} / ${report.averageLoss === null ? "n/a" : money(report.averageLoss)}`,
    ],
    [
      "Max drawdown",
      `${report.maxDrawdownPct.toFixed(2)} % over ${report.maxDrawdownDays} days (${utcTime(report.maxDrawdownPeak)} → ${utcTime(report.maxDrawdownTrough)})`,
    ],
    ["Calmar", String(report.calmar ?? "n/a")],
    ["Sharpe / Sortino", `${report.sharpe ?? "n/a"} / ${report.sortino ?? "n/a"}`],
    ["Time in market", `${report.timeInMarketPct.toFixed(2)} %`],
    ...(report.risk
      ? ([["Risk controls", `${report.risk}; ${blockedText(report.blockedEntries ?? {})}`]] as [
          string,
          string,
        ][])
      : []),
  ];

  const tick = p?.filters.tick ?? "0.00000001";
  const trades = report.roundTrips
    .map(
      (t) =>
        `<tr class="trade" title="show this trade on the chart" data-from="${seconds(t.entryTime)}" data-to="${seconds(t.exitTime ?? report.to)}"><td>${utcTime(t.entryTime)}</td><td>${t.exitTime ? utcTime(t.exitTime) : "open"}</td><td>${t.quantity}</td><td>${t.entryPrice}</td><td>${t.exitPrice ? price(t.exitPrice, tick) : ""}</td><td>${money(t.fees)}</td><td>${escapeHtml(t.exitReasons.join("+"))}</td><td>${signedMoney(t.pnl)}</td></tr>`,
    )
    .join("\n");
  const fills = report.fills
    .map(
      (f) =>
        `<tr><td>${utcTime(f.time)}</td><td>${f.side}</td><td>${escapeHtml(f.reason)}</td><td>${f.price}</td><td>${f.quantity}</td><td>${money(f.fee)}</td><td>${f.realizedPnl === null ? "" : signedMoney(f.realizedPnl)}</td><td>${f.positionAfter}</td></tr>`,
    )
    .join("\n");
  const months = report.monthlyReturns
    .map((m) => `<tr><td>${escapeHtml(m.month)}</td><td>${escapeHtml(percent(m.returnPct))}</td></tr>`)
    .join("\n");
  const reasons = report.exitReasons
    .map((e) => `<tr><td>${escapeHtml(e.reason)}</td><td>${e.count}</td><td>${signedMoney(e.pnl)}</td></tr>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Backtest ${escapeHtml(report.symbol)} ${escapeHtml(report.timeframe)}</title>
<style>${PAGE_STYLE}.small{height:200px}tr.trade{cursor:pointer}tr.trade:hover{background:#e3f2fd}table.summary{max-width:960px}table.summary th{white-space:nowrap}table.data.summary td{text-align:left}</style>
</head><body>
<h1>Backtest ${escapeHtml(report.symbol)} ${escapeHtml(report.timeframe)}</h1>
<p>${escapeHtml(report.strategy?.name ?? "The strategy")}, replayed through the same trading cycle the Lambda runs. Times are UTC, each at its candle's close, in the charts as in the tables. Gold: the golden zone (0.5–0.618) of each trade, when the strategy has one; red dashed: its stop; green: its targets.</p>
<table class="data summary">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>
<h2>Price and trades</h2><div id="price-chart" class="chart"></div>
<h2>Equity against buy and hold and DCA (USDT)</h2>${legend("equity-legend", [
    { name: "strategy", color: "#1565c0" },
    { name: "buy and hold", color: "#9e9e9e" },
    { name: "DCA (an equal share bought at every close)", color: "#ef6c00" },
  ])}<div id="equity-chart" class="chart"></div>
<h2>Drawdown (underwater, %)</h2><div id="drawdown-chart" class="chart small"></div>
<h2>Monthly returns</h2><table class="data"><tr><th>month</th><th>return</th></tr>${months}</table>
<h2>Exits by reason</h2><table class="data"><tr><th>reason</th><th>exits</th><th>realised PnL after the exit's fee (USDT)</th></tr>${reasons}</table>
<h2>Fills (UTC, at the close of their candle)</h2><table class="data"><tr><th>time</th><th>side</th><th>reason</th><th>price</th><th>quantity</th><th>fee</th><th>realised PnL (after this fill's fee)</th><th>position after</th></tr>${fills}</table>
<h2>Trades</h2><table class="data"><tr><th>entry</th><th>exit</th><th>quantity</th><th>entry price</th><th>exit price</th><th>fees</th><th>exits</th><th>PnL after every fee (USDT)</th></tr>${trades}</table>
<script>${readFileSync(CHART_LIBRARY, "utf8").replace(/<\/script/gi, "<\\/script")}</script>
<script type="application/json" id="report-data">${safeJson(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
