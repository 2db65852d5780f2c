import { readFileSync } from "node:fs";
import type { Evaluation } from "../../shared/application/optimize/evaluation.ts";
import { score } from "../../shared/application/optimize/evaluation.ts";
import type { OptimizeResult } from "../../shared/application/optimize/optimize.ts";
import { CHART_LIBRARY, escapeHtml, safeJson } from "../backtest/html-report.ts";
import { legend, PAGE_STYLE } from "../backtest/page-style.ts";

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Mean objective per pair of values of two parameters: the heatmap's cells (null: no setting ranked there). */
export function heatmap(result: OptimizeResult, x: string, y: string) {
  const xs = [
    ...new Set(result.ranked.map((r) => r.setting[x]).filter((v): v is number => v !== undefined)),
  ].sort((a, b) => a - b);
  const ys = [
    ...new Set(result.ranked.map((r) => r.setting[y]).filter((v): v is number => v !== undefined)),
  ].sort((a, b) => a - b);
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of result.ranked) {
    const value = score(r.metrics, result.objective);
    if (value === undefined || r.score === undefined) continue;
    const key = `${r.setting[x]}|${r.setting[y]}`;
    const cell = sums.get(key) ?? { sum: 0, n: 0 };
    sums.set(key, { sum: cell.sum + value, n: cell.n + 1 });
  }
  const cells = ys.map((vy) =>
    xs.map((vx) => {
      const cell = sums.get(`${vx}|${vy}`);
      return cell ? cell.sum / cell.n : null;
    }),
  );
  // How many ranked settings each cell averages (a cell of one setting is one run, not a trend).
  const counts = ys.map((vy) => xs.map((vx) => sums.get(`${vx}|${vy}`)?.n ?? 0));
  return { xs, ys, cells, counts };
}

const color = (value: number | null, low: number, high: number) => {
  if (value === null) return "#eeeeee";
  const t = high > low ? (value - low) / (high - low) : 0.5;
  return `hsl(${Math.round(t * 120)}, 65%, ${Math.round(75 - t * 25)}%)`;
};

/** One self-contained page: the heatmap, the best setting's equity against the walk-forward's out-of-sample equity, the windows. */
export function optimizeHtml(
  result: OptimizeResult,
  evaluations: readonly Evaluation[],
  context: { symbol: string; timeframe: string; strategy: string },
  axes: readonly string[],
): string {
  const varying = axes.filter((name) => new Set(result.ranked.map((r) => r.setting[name])).size > 1);
  const [x, y] = varying;
  let map = "<p>A heatmap needs two parameters that vary.</p>";
  if (x && y) {
    const { xs, ys, cells, counts } = heatmap(result, x, y);
    const values = cells.flat().filter((v): v is number => v !== null);
    const [low, high] = [Math.min(...values), Math.max(...values)];
    map = `<table class="data heatmap"><tr><th>${escapeHtml(y)} \\ ${escapeHtml(x)}</th>${xs.map((v) => `<th>${v}</th>`).join("")}</tr>${ys
      .map(
        (vy, r) =>
          `<tr><th>${vy}</th>${(cells[r] ?? []).map((v, c) => `<td style="background:${color(v, low, high)}" title="${counts[r]?.[c] ?? 0} ranked setting(s)">${v === null ? "" : `${v.toFixed(2)}<small> ×${counts[r]?.[c] ?? 0}</small>`}</td>`).join("")}</tr>`,
      )
      .join("")}</table>
<p class="heatmap-legend">Colour: <span style="background:${color(low, low, high)}">&nbsp;${Number.isFinite(low) ? low.toFixed(2) : "n/a"} (lowest)&nbsp;</span> → <span style="background:${color(high, low, high)}">&nbsp;${Number.isFinite(high) ? high.toFixed(2) : "n/a"} (highest)&nbsp;</span>; each cell is the mean ${escapeHtml(result.objective)} of the ranked settings with those two values (×n: how many it averages); a <span style="background:${color(null, low, high)}">&nbsp;blank&nbsp;</span> cell has no ranked setting (none there, or none with ${result.minTrades} entries and a defined ${escapeHtml(result.objective)}).</p>`;
  }
  const best = result.ranked[0];
  const bestRun = evaluations.find((e) => best && JSON.stringify(e.setting) === JSON.stringify(best.setting));
  const seconds = (d: number) => Math.floor((result.days.first + (d + 1) * DAY_MS) / 1000);
  const wf = result.walkForward;
  const data = {
    inSample: bestRun ? [...bestRun.dayEquity].map((value, d) => ({ time: seconds(d), value })) : [],
    outOfSample: wf ? [...wf.stitched].map((value, i) => ({ time: seconds(wf.firstDay + i), value })) : [],
  };
  const windows = wf
    ? `<table class="data"><tr><th>train (UTC days)</th><th>test</th><th>chosen</th><th>in-sample return</th><th>out-of-sample return</th></tr>${wf.windows
        .map(
          (w) =>
            `<tr><td>${day(result.days.first + w.trainFrom * DAY_MS)} to ${day(result.days.first + (w.trainTo - 1) * DAY_MS)}</td><td>${day(result.days.first + w.trainTo * DAY_MS)} to ${day(result.days.first + (w.testTo - 1) * DAY_MS)}</td><td>${escapeHtml(JSON.stringify(w.chosen ?? "cash"))}</td><td>${w.inSample?.returnPct.toFixed(2) ?? "n/a"} %</td><td>${w.outOfSample?.returnPct.toFixed(2) ?? "0.00"} %</td></tr>`,
        )
        .join("")}</table>`
    : "<p>No walk-forward: give --walk-forward train=6m,test=1m.</p>";
  const title = `Optimized ${context.strategy} on ${context.symbol} ${context.timeframe}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}table.heatmap td{text-align:right;min-width:3em}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>${result.evaluated} settings, objective ${escapeHtml(result.objective)}; the best: ${escapeHtml(JSON.stringify(best?.setting ?? {}))}. Days are UTC, each point at its day's last close.</p>
<h2>Does the best hold up?</h2>${statistics(result)}
<h2>Objective by ${escapeHtml(x ?? "")} and ${escapeHtml(y ?? "")} (mean over the other parameters)</h2>${map}
<h2>Equity (USDT): the best setting over the whole period (in-sample) and the walk-forward's test windows chained (out-of-sample)</h2>${legend(
    "equity-legend",
    [
      { name: "best setting, in-sample", color: "#9e9e9e" },
      { name: "walk-forward, out-of-sample", color: "#1565c0" },
    ],
  )}<div id="equity-chart" class="chart"></div>
<h2>Walk-forward windows</h2>${windows}
<script>${readFileSync(CHART_LIBRARY, "utf8").replace(/<\/script/gi, "<\\/script")}</script>
<script type="application/json" id="report-data">${safeJson(data)}</script>
<script>
const data = JSON.parse(document.getElementById("report-data").textContent);
const { createChart, LineSeries } = LightweightCharts;
const chart = createChart(document.getElementById("equity-chart"), { layout: { background: { color: "#ffffff" }, textColor: "#222" }, autoSize: true });
chart.addSeries(LineSeries, { color: "#9e9e9e", lineWidth: 1 }).setData(data.inSample);
chart.addSeries(LineSeries, { color: "#1565c0", lineWidth: 2 }).setData(data.outOfSample);
chart.timeScale().fitContent();
document.body.dataset.rendered = "true";
</script>
</body></html>`;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)} %` : "n/a");

/** PBO, the deflated Sharpe ratios and the out-of-sample summary, as the terminal says them. */
function statistics(result: OptimizeResult): string {
  const o = result.overfitting;
  const wf = result.walkForward;
  const rows: [string, string][] = [
    [`Probability of backtest overfitting (CSCV, ${o.splits} splits)`, pct(o.pbo)],
    [`Deflated Sharpe ratio of the best setting (${o.trials} settings tried)`, pct(o.deflatedSharpe)],
    ["Deflated Sharpe ratio of the setting a watchlist entry would carry", pct(o.chosenDeflatedSharpe)],
    ...(wf
      ? ([
          [
            "Out-of-sample (each window's chosen setting's own returns, chained)",
            `return ${wf.outOfSample.returnPct.toFixed(2)} %, Sharpe ${wf.outOfSample.sharpe?.toFixed(2) ?? "n/a"}, max drawdown ${wf.outOfSample.maxDrawdownPct.toFixed(2)} %`,
          ],
          [
            "In-sample (mean of the chosen settings' training windows)",
            `return ${wf.inSample.returnPct.toFixed(2)} % per window`,
          ],
        ] as [string, string][])
      : []),
  ];
  return `<table class="data statistics">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>
<p>Above 50 % overfitting, the ranking is noise; a deflated Sharpe ratio is the probability that the true Sharpe ratio is above 0, given how many settings were tried.</p>`;
}
