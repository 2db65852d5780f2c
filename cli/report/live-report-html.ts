import { utcTime } from "../../shared/application/format.ts";
import { escapeHtml as esc } from "../backtest/html-report.ts";
import { divergenceLines, liveReportJson } from "./format-live-report.ts";
import type { LiveReport } from "./live-report.ts";

/** The live-against-backtest report as one HTML page: the pairs, the fill counts, every divergence and its cause. */
export function liveReportHtml(report: LiveReport): string {
  const json = liveReportJson(report);
  const verdict =
    report.divergences.length === 0
      ? "No divergence: live equals the backtest fill for fill."
      : report.unexplained === 0
        ? `${report.divergences.length} divergence(s), all explained by the records.`
        : `${report.unexplained} unexplained divergence(s) of ${report.divergences.length}.`;
  const pairRows = json.pairs
    .map(
      (p) =>
        `<tr><td>${esc(p.symbol)} ${esc(p.timeframe)}</td><td>${utcTime(p.firstCandle)}</td><td>${utcTime(p.lastCandle)}</td><td>${p.liveCycles} of ${p.replayedCycles}</td><td>${esc(
          Object.entries(p.settings)
            .map(([k, v]) => `${k}=${v}`)
            .join(" "),
        )}</td><td>${p.filters.source === "records" ? "as live used them" : "Binance's today"}: tick ${esc(p.filters.tickSize)}, step ${esc(p.filters.stepSize)}</td></tr>`,
    )
    .join("");
  const divergenceRows = report.divergences
    .map((d) => {
      const [head, ...fills] = divergenceLines(d, report.pairs);
      const cls = d.cause === undefined ? "bad" : "ok";
      return `<tr class="${cls}"><td>${esc(head?.trim() ?? "")}</td><td><ul>${fills.map((f) => `<li>${esc(f.trim())}</li>`).join("")}</ul></td></tr>`;
    })
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Live against backtest: ${esc(report.accountId)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2733}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d5dbe3;padding:.3rem .6rem;text-align:left;vertical-align:top}
tr.bad td{background:#fde8e8}tr.ok td{background:#f3f8f1}ul{margin:0;padding-left:1.1rem}
</style></head><body>
<h1>Live against backtest: account ${esc(report.accountId)}</h1>
<p><strong>${esc(verdict)}</strong> ${report.initialBalance} ${esc(report.quoteAsset)} at the start; fills: ${json.fills.live} live, ${json.fills.backtest} in the backtest, ${json.fills.equal} equal.</p>
<h2>Pairs, replayed with the settings of their first cycle</h2>
<table><tr><th>Pair</th><th>First close</th><th>Last close</th><th>Live cycles</th><th>Settings</th><th>Exchange filters</th></tr>${pairRows}</table>
<h2>Divergences</h2>
${report.divergences.length ? `<table><tr><th>Where and why</th><th>Fills (first, then what followed)</th></tr>${divergenceRows}</table>` : "<p>None.</p>"}
</body></html>
`;
}
