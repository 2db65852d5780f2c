import type { Divergence, FillDifference } from "../../shared/application/backtest/live-vs-backtest.ts";
import { price, quantity, utcTime } from "../../shared/application/format.ts";
import type { StoredTrade } from "../../shared/application/ports/account-repository.ts";
import { closeTimeOf, type Timeframe } from "../../shared/domain/market/timeframe.ts";
import type { LiveReport, ReportPair } from "./live-report.ts";

/** A fill's time: the close of its candle. */
const fillTime = (f: { candleTime: number; timeframe: Timeframe }) => closeTimeOf(f.candleTime, f.timeframe);

const exact = (t: StoredTrade) => ({
  price: t.price.toFixed(),
  quantity: t.quantity.toFixed(),
  fee: t.fee.toFixed(),
  ...(t.realizedPnl === undefined ? {} : { realizedPnl: t.realizedPnl.toFixed() }),
});

/** The report as JSON: money and quantities as exact decimal strings, times ISO-8601 UTC. */
export function liveReportJson(report: LiveReport) {
  const iso = (ms: number) => new Date(ms).toISOString();
  const difference = (d: FillDifference) => ({
    time: iso(fillTime(d)),
    side: d.side,
    reason: d.reason,
    differs: d.differs,
    live: d.live ? exact(d.live) : null,
    backtest: d.backtest ? exact(d.backtest) : null,
  });
  return {
    accountId: report.accountId,
    quoteAsset: report.quoteAsset,
    initialBalance: report.initialBalance,
    pairs: report.pairs.map((p) => ({
      symbol: p.symbol,
      timeframe: p.timeframe,
      firstCandle: iso(p.from),
      lastCandle: iso(p.to),
      liveCycles: p.liveCycles,
      replayedCycles: p.replayedCycles,
      settings: p.settings,
      filters: {
        source: p.filtersSource,
        tickSize: p.filters.tickSize,
        stepSize: p.filters.stepSize,
        minNotional: p.filters.minNotional,
      },
    })),
    pairsWithoutRecords: report.pairsWithoutRecords,
    fills: { live: report.live.length, backtest: report.backtest.length, equal: report.matched },
    notCompared: report.notCompared.length,
    divergences: report.divergences.map((d) => ({
      time: iso(fillTime(d)),
      symbol: d.symbol,
      timeframe: d.timeframe,
      explained: d.cause !== undefined,
      cause: d.cause ?? null,
      fills: d.fills.map(difference),
    })),
    unexplained: report.unexplained,
  };
}

function fillText(t: StoredTrade | undefined, pair: ReportPair | undefined): string {
  if (!t) return "none";
  const tick = pair?.filters.tickSize ?? "0.00000001";
  const step = pair?.filters.stepSize ?? "0.00000001";
  return `${quantity(t.quantity, step)} @ ${price(t.price, tick)} fee ${t.fee.toFixed()}`;
}

export function divergenceLines(d: Divergence, pairs: readonly ReportPair[]): string[] {
  const pair = pairs.find((p) => p.symbol === d.symbol && p.timeframe === d.timeframe);
  return [
    `  ${utcTime(fillTime(d))}  ${d.symbol} ${d.timeframe}  ${d.cause ?? "UNEXPLAINED: the live cycle ran with the same settings"}`,
    ...d.fills.map(
      (f, i) =>
        `    ${i === 0 ? "" : "then "}${utcTime(fillTime(f))} ${f.side} ${f.reason}: ${f.differs.join(", ")}; live ${fillText(f.live, pair)}, backtest ${fillText(f.backtest, pair)}`,
    ),
  ];
}

function filtersLine(pairs: readonly ReportPair[]): string {
  const today = pairs.filter((p) => p.filtersSource === "binance").map((p) => `${p.symbol} ${p.timeframe}`);
  if (today.length === 0) return "Exchange filters: those each live cycle sized with, as recorded";
  if (today.length === pairs.length)
    return "Exchange filters: Binance's today (no live cycle recorded the filters it sized with)";
  return `Exchange filters: those each live cycle sized with, as recorded; Binance's today for ${today.join(", ")} (none recorded)`;
}

/** The report for people: the pairs and their settings, the fills, each divergence with its cause. */
export function liveReportText(report: LiveReport): string {
  const lines = [
    `Live against the backtest, account ${report.accountId} (${report.initialBalance} ${report.quoteAsset} at the start)`,
    "Replayed from each pair's first cycle with the settings that cycle recorded:",
    ...report.pairs.map(
      (p) =>
        `  ${p.symbol} ${p.timeframe}  ${utcTime(fillTime({ candleTime: p.from, timeframe: p.timeframe }))} to ${utcTime(fillTime({ candleTime: p.to, timeframe: p.timeframe }))}  ${p.liveCycles} live cycle(s) of ${p.replayedCycles}  ${p.settings.strategy} ${Object.entries(
          p.settings,
        )
          .filter(([k]) => k.startsWith("params."))
          .map(([k, v]) => `${k.slice(7)}=${v}`)
          .join(" ")}`,
    ),
    filtersLine(report.pairs),
    ...(report.pairsWithoutRecords.length
      ? [`  not compared (no cycle record kept): ${report.pairsWithoutRecords.join(", ")}`]
      : []),
    `Fills: ${report.live.length} live, ${report.backtest.length} in the backtest, ${report.matched} equal (time, side, reason, price, quantity, fee)`,
    ...(report.notCompared.length
      ? [`  ${report.notCompared.length} live fill(s) before the records kept were not compared`]
      : []),
    report.divergences.length === 0
      ? "No divergence: live equals the backtest fill for fill."
      : `Divergences: ${report.divergences.length}, ${report.unexplained === 0 ? "all explained by the records" : `${report.unexplained} UNEXPLAINED`}`,
    ...report.divergences.flatMap((d) => divergenceLines(d, report.pairs)),
  ];
  return `${lines.join("\n")}\n`;
}
