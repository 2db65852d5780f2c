import { money, signedMoney, utcTime } from "../../shared/application/format.ts";
import { closeTimeOf } from "../../shared/domain/market/timeframe.ts";
import { escapeHtml as esc } from "../backtest/html-report.ts";
import { eventLine, fillLine, findingLine, TIMES_NOTE, verdict } from "./format-live-report.ts";
import type { LiveReport } from "./live-report.ts";

const list = (items: readonly string[], empty: string) =>
  items.length ? `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul>` : `<p>${esc(empty)}</p>`;

/** The live-against-backtest report as one HTML page: pairs, fidelity, the path's events, every fill. */
export function liveReportHtml(report: LiveReport): string {
  const bad = report.unexplainedCycles + report.unexplainedFills > 0;
  const pairRows = report.pairs
    .map(
      (p) =>
        `<tr><td>${esc(p.symbol)} ${esc(p.timeframe)}</td><td>${utcTime(closeTimeOf(p.from, p.timeframe))}</td><td>${utcTime(closeTimeOf(p.to, p.timeframe))}</td><td>${p.liveCycles} of ${p.scheduledCycles}</td><td>${esc(
          Object.entries(p.settings)
            .map(([k, v]) => `${k}=${v}`)
            .join(" "),
        )}</td><td>${p.filtersSource === "records" ? "as live used them" : "Binance's today"}: tick ${esc(p.filters.tickSize)}, step ${esc(p.filters.stepSize)}</td></tr>`,
    )
    .join("");
  const fillRows = report.fills
    .map(
      (f) =>
        `<tr class="${f.differs.length === 0 ? "" : f.cause ? "ok" : "bad"}"><td>${esc(fillLine(f, report.pairs))}</td></tr>`,
    )
    .join("");
  const quote = report.quoteAsset;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Live against backtest: ${esc(report.accountId)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2733}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d5dbe3;padding:.3rem .6rem;text-align:left;vertical-align:top}
tr.bad td{background:#fde8e8}tr.ok td{background:#f3f8f1}ul{margin:0;padding-left:1.1rem}
</style></head><body>
<h1>Live against backtest: account ${esc(report.accountId)}</h1>
<p class="${bad ? "bad" : "ok"}"><strong>${esc(verdict(report))}</strong> ${esc(report.initialBalance)} ${esc(quote)} at the start. ${esc(TIMES_NOTE)}</p>
<h2>Pairs, each from its first cycle with that cycle's settings</h2>
<table><tr><th>Pair</th><th>First close (UTC)</th><th>Last close (UTC)</th><th>Live cycles</th><th>Settings</th><th>Exchange filters</th></tr>${pairRows}</table>
<h2>Fidelity: every live cycle replayed from the state it had</h2>
<p>${[...report.fidelity.checked.values()].reduce((a, b) => a + b, 0)} replayed, ${[...report.fidelity.equal.values()].reduce((a, b) => a + b, 0)} equal.</p>
${list(report.fidelity.findings.map(findingLine), "No finding.")}
<h2>Path: against the uninterrupted backtest with the first settings</h2>
<p>Final equity: backtest ${money(report.backtestEquity)} ${esc(quote)}, with the events ${money(report.replayedEquity)}, live ${money(report.liveEquity)} (${signedMoney(report.liveEquity.minus(report.backtestEquity))}).</p>
${list(
  report.events.map((e) => eventLine(e, quote)),
  "No missed, failed or refused cycle and no change of settings.",
)}
<h2>Every fill</h2>
<table>${fillRows || "<tr><td>No fill.</td></tr>"}</table>
</body></html>
`;
}
