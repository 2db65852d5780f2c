import {
  NOT_TAKEN_REASONS,
  type PortfolioReport,
} from "../../shared/application/backtest/portfolio-report.ts";
import type { PortfolioRun } from "../../shared/application/backtest/run-portfolio.ts";
import { timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { minuteUtc } from "../../shared/domain/market/utc.ts";

const pct = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(2)} %`;
const cell = (value: string | number | null) => (value === null ? "–" : String(value));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), ...rows.map(line)].map((l) => `  ${l.trimEnd()}`).join("\n");
}

/** The terminal's report: the account against equal-weight buy and hold, each pair's part, the entries not taken. */
export function formatPortfolio(report: PortfolioReport): string {
  const slots = report.curve.map((c) => c.openPositions);
  const busiest = Math.max(0, ...slots);
  const full = slots.filter((n) => n >= report.maxOpenPositions).length;
  const symbols = [...new Set(report.pairs.map((p) => p.pair.split(" ")[0]))];
  const lines = [
    `Portfolio backtest of account ${report.accountId}: ${report.pairs.length} pairs, candles opening ${minuteUtc(report.from)} to ${minuteUtc(report.to)}`,
    `  equity ${report.initialEquity} → ${report.finalEquity} ${report.quoteAsset} (${pct(report.totalReturnPct)}), max drawdown ${report.maxDrawdownPct.toFixed(2)} %`,
    `  equal-weight buy and hold of ${symbols.join(", ")}: ${pct(report.buyAndHoldReturnPct)}, max drawdown ${report.buyAndHoldMaxDrawdownPct.toFixed(2)} %`,
    `  position slots: ${report.maxOpenPositions}; at most ${busiest} in use, all full at ${full} of ${slots.length} closes`,
    `  cycles sharing a close run in ${report.sameCloseOrder}`,
    "",
    `Each pair (profit in ${report.quoteAsset} after every fee; contribution: realised plus the open position at its last close):`,
    table(
      [
        "pair",
        "trades",
        "open",
        "win %",
        "avg profit",
        "total profit",
        "avg hours",
        "best",
        "worst",
        "time in market %",
        "contribution",
      ],
      report.pairs.map((p) => [
        p.pair,
        String(p.trades),
        String(p.open),
        cell(p.winPct === null ? null : p.winPct.toFixed(2)),
        cell(p.avgProfit),
        p.totalProfit,
        cell(p.avgDurationHours === null ? null : p.avgDurationHours.toFixed(1)),
        cell(p.best),
        cell(p.worst),
        p.timeInMarketPct.toFixed(2),
        p.contribution,
      ]),
    ),
    "",
    "Entries not taken (BUY signals while the pair was flat, by why):",
    table(
      ["pair", ...NOT_TAKEN_REASONS],
      report.pairs.map((p) => [p.pair, ...NOT_TAKEN_REASONS.map((r) => String(p.notTaken[r]))]),
    ),
    "",
  ];
  return lines.join("\n");
}

const CSV_HEADER =
  "time,symbol,timeframe,side,reason,price,quantity,quote_amount,fee,realized_pnl_after_exit_fee";

/** Every fill of the account, oldest first, at its candle's close (UTC). */
export function portfolioFillsCsv(run: PortfolioRun): string {
  const rows = run.cycles.flatMap((c) =>
    [...c.result.exits, ...(c.result.entry ? [c.result.entry] : [])].map((f) =>
      [
        new Date(Date.parse(f.candle) + timeframeMs(c.result.timeframe)).toISOString(),
        c.result.symbol,
        c.result.timeframe,
        f.side,
        f.reason,
        f.price,
        f.quantity,
        f.quoteAmount,
        f.fee,
        f.realizedPnl ?? "",
      ].join(","),
    ),
  );
  return `${[CSV_HEADER, ...rows].join("\n")}\n`;
}

const esc = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A polyline chart in SVG: each series' points scaled into the box; no script, works offline. */
function svgChart(
  series: { name: string; color: string; points: { t: number; v: number }[] }[],
  title: string,
): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return "";
  const [t0, t1] = [Math.min(...all.map((p) => p.t)), Math.max(...all.map((p) => p.t))];
  const [v0, v1] = [Math.min(...all.map((p) => p.v)), Math.max(...all.map((p) => p.v))];
  const x = (t: number) => (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * 900) + 50;
  const y = (v: number) => 230 - (v1 === v0 ? 0.5 : (v - v0) / (v1 - v0)) * 200;
  const lines = series
    .map(
      (s) =>
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(" ")}"><title>${esc(s.name)}</title></polyline>`,
    )
    .join("");
  const legend = series.map((s) => `<span style="color:${s.color}">■</span> ${esc(s.name)}`).join(" &nbsp; ");
  return `<h2>${esc(title)}</h2><p>${legend}</p><svg viewBox="0 0 1000 260" width="100%" role="img" aria-label="${esc(title)}"><text x="0" y="35" font-size="11">${v1.toFixed(2)}</text><text x="0" y="232" font-size="11">${v0.toFixed(2)}</text>${lines}<text x="50" y="255" font-size="11">${esc(minuteUtc(t0))}</text><text x="950" y="255" font-size="11" text-anchor="end">${esc(minuteUtc(t1))}</text></svg>`;
}

/** A self-contained page: the account curve against buy and hold, the slots in use, each pair's contribution. */
export function portfolioHtml(report: PortfolioReport): string {
  const curve = report.curve;
  const bars = report.pairs
    .map((p) => {
      const value = Number(p.contribution);
      const width =
        Math.min(
          100,
          Math.abs(value) / Math.max(1, ...report.pairs.map((q) => Math.abs(Number(q.contribution)))),
        ) * 100;
      return `<tr><td>${esc(p.pair)}</td><td class="n">${esc(p.contribution)}</td><td><div class="bar ${value < 0 ? "neg" : "pos"}" style="width:${width.toFixed(1)}%"></div></td></tr>`;
    })
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portfolio backtest of ${esc(report.accountId)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{padding:2px 8px}td.n{text-align:right}.bar{height:12px}.pos{background:#2e7d32}.neg{background:#c62828}pre{background:#f5f5f5;padding:1em;overflow:auto}</style></head><body data-rendered="true">
<h1>Portfolio backtest of account ${esc(report.accountId)}</h1>
<p>Times are candle closes, UTC. Equity ${esc(report.initialEquity)} → ${esc(report.finalEquity)} (${pct(report.totalReturnPct)}); equal-weight buy and hold ${pct(report.buyAndHoldReturnPct)}.</p>
${svgChart(
  [
    { name: "account equity", color: "#1565c0", points: curve.map((c) => ({ t: c.time, v: c.equity })) },
    {
      name: "equal-weight buy and hold",
      color: "#9e9e9e",
      points: curve.map((c) => ({ t: c.time, v: c.buyAndHold })),
    },
  ],
  "Equity",
)}
${svgChart(
  [
    {
      name: `open positions (of ${report.maxOpenPositions})`,
      color: "#6a1b9a",
      points: curve.map((c) => ({ t: c.time, v: c.openPositions })),
    },
  ],
  "Position slots in use",
)}
<h2>Each pair's contribution (USDT, after every fee)</h2><table>${bars}</table>
<h2>The report</h2><pre>${esc(formatPortfolio(report))}</pre>
</body></html>`;
}
