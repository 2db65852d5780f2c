import { money, price, quantity, signedMoney, utcTime } from "../../shared/application/format.ts";
import type { StoredTrade } from "../../shared/application/ports/account-repository.ts";
import type { Finding } from "../../shared/application/report/fidelity.ts";
import type { FillRow } from "../../shared/application/report/path.ts";
import type { PathEventWithEffect } from "../../shared/application/report/path-events.ts";
import { closeTimeOf, type Timeframe } from "../../shared/domain/market/timeframe.ts";
import { iso } from "../../shared/domain/market/utc.ts";
import type { LiveReport, ReportPair } from "./live-report.ts";

/** The one time convention of the report: a cycle, a fill, a candle at its candle's close, UTC. */
export const TIMES_NOTE = "Times: UTC, each cycle and fill at its candle's close.";

const closeOf = (x: { candleTime: number; timeframe: string }) =>
  closeTimeOf(x.candleTime, x.timeframe as Timeframe);

const exact = (t: StoredTrade) => ({
  price: t.price.toFixed(),
  quantity: t.quantity.toFixed(),
  fee: t.fee.toFixed(),
  ...(t.realizedPnl === undefined ? {} : { realizedPnl: t.realizedPnl.toFixed() }),
});

const fillJson = (f: FillRow) => ({
  close: iso(closeOf(f)),
  symbol: f.symbol,
  timeframe: f.timeframe,
  side: f.side,
  reason: f.reason,
  equal: f.differs.length === 0,
  differs: f.differs,
  live: f.live ? exact(f.live) : null,
  backtest: f.backtest ? exact(f.backtest) : null,
  ...(f.differs.length ? { explained: f.cause !== undefined, cause: f.cause ?? null } : {}),
});

const findingJson = (f: Finding) => ({
  close: iso(closeOf(f)),
  symbol: f.symbol,
  timeframe: f.timeframe,
  kind: f.kind,
  decisionDiffers: f.decisionDiffers,
  explained: f.cause !== undefined,
  cause: f.cause ?? null,
  ...(f.live ? { live: f.live } : {}),
  ...(f.replay ? { replay: f.replay } : {}),
  ...(f.candle
    ? {
        candle: {
          close: iso(closeOf({ ...f, candleTime: f.candle.openTime })),
          recorded: f.candle.recorded,
          now: f.candle.now ?? null,
        },
      }
    : {}),
});

const eventJson = (e: PathEventWithEffect) => ({
  kind: e.kind,
  symbol: e.symbol,
  timeframe: e.timeframe,
  firstClose: iso(closeTimeOf(e.from, e.timeframe)),
  lastClose: iso(closeTimeOf(e.to, e.timeframe)),
  cycles: e.cycles,
  what: e.what,
  effect: e.effect.toFixed(),
});

const unexplainedOf = (r: LiveReport) => r.unexplainedCycles + r.unexplainedFills;
const differing = (r: LiveReport) => r.fills.filter((f) => f.differs.length > 0);

/** The report as JSON: money and quantities as exact decimal strings, times ISO-8601 UTC at candle closes. */
export function liveReportJson(report: LiveReport, options: { fills?: boolean } = {}) {
  const diffs = differing(report);
  return {
    accountId: report.accountId,
    quoteAsset: report.quoteAsset,
    initialBalance: report.initialBalance,
    times: "ISO-8601 UTC; a cycle, a fill and a candle at its candle's close",
    pairs: report.pairs.map((p) => ({
      symbol: p.symbol,
      timeframe: p.timeframe,
      firstClose: iso(closeTimeOf(p.from, p.timeframe)),
      lastClose: iso(closeTimeOf(p.to, p.timeframe)),
      liveCycles: p.liveCycles,
      scheduledCycles: p.scheduledCycles,
      settings: p.settings,
      filters: {
        source: p.filtersSource,
        tickSize: p.filters.tickSize,
        stepSize: p.filters.stepSize,
        minNotional: p.filters.minNotional,
      },
    })),
    pairsWithoutRecords: report.pairsWithoutRecords,
    fidelity: {
      checked: sum(report.fidelity.checked),
      equal: sum(report.fidelity.equal),
      notChecked: report.fidelity.notChecked.map(({ record, why }) => ({
        close: iso(closeOf(record)),
        symbol: record.symbol,
        timeframe: record.timeframe,
        why,
      })),
      findings: report.fidelity.findings.map(findingJson),
    },
    ...(report.sameCloseOrder
      ? {
          sameCloseOrder: {
            closes: report.sameCloseOrder.closes,
            firstClose: new Date(report.sameCloseOrder.first.close).toISOString(),
            live: report.sameCloseOrder.first.live,
            backtest: report.sameCloseOrder.first.backtest,
            effect: report.sameCloseOrder.effect.toFixed(),
            cause: sameCloseOrderLine(report.sameCloseOrder, report.quoteAsset),
          },
        }
      : {}),
    path: {
      backtestEquity: report.backtestEquity.toFixed(),
      replayedEquity: report.replayedEquity.toFixed(),
      liveEquity: report.liveEquity.toFixed(),
      events: report.events.map(eventJson),
    },
    fills: {
      live: report.fills.filter((f) => f.live).length,
      backtest: report.fills.filter((f) => f.backtest).length,
      equal: report.fills.length - diffs.length,
    },
    notCompared: report.notCompared.length,
    divergences: diffs.map(fillJson),
    ...(options.fills ? { allFills: report.fills.map(fillJson) } : {}),
    unexplained: unexplainedOf(report),
  };
}

const sum = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

function fillText(t: StoredTrade | undefined, pair: ReportPair | undefined): string {
  if (!t) return "none";
  const tick = pair?.filters.tickSize ?? "0.00000001";
  const step = pair?.filters.stepSize ?? "0.00000001";
  return `${quantity(t.quantity, step)} @ ${price(t.price, tick)} fee ${t.fee.toFixed()}`;
}

/** One fill row: where, what, and (for a difference) both sides and why. */
export function fillLine(f: FillRow, pairs: readonly ReportPair[]): string {
  const pair = pairs.find((p) => p.symbol === f.symbol && p.timeframe === f.timeframe);
  const head = `${utcTime(closeOf(f))}  ${f.symbol} ${f.timeframe}  ${f.side} ${f.reason}`;
  if (f.differs.length === 0) return `${head}: equal, ${fillText(f.live, pair)}`;
  return `${head}: ${f.differs.join(", ")}; live ${fillText(f.live, pair)}, backtest ${fillText(f.backtest, pair)} — ${f.cause ?? "UNEXPLAINED"}`;
}

export function findingLine(f: Finding): string {
  const decided = f.decisionDiffers
    ? ` (live: ${f.live?.join(", ") || "none"}; replay: ${f.replay?.join(", ") || "none"})`
    : " (the replay decided the same)";
  return `${utcTime(closeOf(f))}  ${f.symbol} ${f.timeframe}  ${f.cause ?? "UNEXPLAINED: the cycle read the same candles and state with the same code and settings, and the replay decides otherwise"}${decided}`;
}

export function eventLine(e: PathEventWithEffect, quote: string): string {
  const first = utcTime(closeTimeOf(e.from, e.timeframe));
  const when = e.from === e.to ? first : `${first} to ${utcTime(closeTimeOf(e.to, e.timeframe))}`;
  const count = e.kind === "settings" ? "" : ` ×${e.cycles}`;
  return `${when}  ${e.symbol} ${e.timeframe}  ${e.what}${count}: ${signedMoney(e.effect)} ${quote}`;
}

function filtersLine(pairs: readonly ReportPair[]): string {
  const today = pairs.filter((p) => p.filtersSource === "binance").map((p) => `${p.symbol} ${p.timeframe}`);
  if (today.length === 0) return "Exchange filters: those each live cycle sized with, as recorded";
  if (today.length === pairs.length)
    return "Exchange filters: Binance's today (no live cycle recorded the filters it sized with)";
  return `Exchange filters: those each live cycle sized with, as recorded; Binance's today for ${today.join(", ")} (none recorded)`;
}

/** The verdict in one line. */
export function verdict(report: LiveReport): string {
  const diffs = differing(report).length;
  const unexplained = unexplainedOf(report);
  if (unexplained > 0)
    return `${unexplained} UNEXPLAINED (${report.unexplainedCycles} cycle(s) decided otherwise than recorded with nothing to explain it, ${report.unexplainedFills} fill difference(s) with no proven cause)`;
  if (diffs === 0 && report.fidelity.findings.length === 0)
    return "No divergence: live equals the backtest fill for fill, and every live cycle replays exactly.";
  return `Every difference is explained by the records (${diffs} fill difference(s)).`;
}

/** The report for people: the pairs, the fidelity check, the path's events, the fills that differ (all with --fills). */
export function liveReportText(report: LiveReport, options: { fills?: boolean } = {}): string {
  const quote = report.quoteAsset;
  const checked = sum(report.fidelity.checked);
  const equal = sum(report.fidelity.equal);
  const diffs = differing(report);
  const notChecked = report.fidelity.notChecked;
  const lines = [
    `Live against the backtest, account ${report.accountId} (${report.initialBalance} ${quote} at the start)`,
    TIMES_NOTE,
    "Pairs (the uninterrupted backtest runs each from its first cycle, with that cycle's settings):",
    ...report.pairs.map(
      (p) =>
        `  ${p.symbol} ${p.timeframe}  ${utcTime(closeTimeOf(p.from, p.timeframe))} to ${utcTime(closeTimeOf(p.to, p.timeframe))}  ${p.liveCycles} live cycle(s) of ${p.scheduledCycles}  ${p.settings.strategy} ${Object.entries(
          p.settings,
        )
          .filter(([k]) => k.startsWith("params."))
          .map(([k, v]) => `${k.slice(7)}=${v}`)
          .join(" ")} stake ${p.settings.stakeFraction ?? "?"}`,
    ),
    filtersLine(report.pairs),
    ...(report.pairsWithoutRecords.length
      ? [`  not compared (no cycle record kept): ${report.pairsWithoutRecords.join(", ")}`]
      : []),
    "",
    `Fidelity: ${checked} live cycle(s) replayed, each from the state the ledger had before it: ${equal} equal`,
    ...report.fidelity.findings.map((f) => `  ${findingLine(f)}`),
    ...(notChecked.length
      ? [
          `  ${notChecked.length} cycle(s) not replayed: ${[...new Set(notChecked.map((n) => n.why))].join("; ")}`,
        ]
      : []),
    "",
    "Path: the account against the uninterrupted backtest with the first settings",
    `  Final equity: backtest ${money(report.backtestEquity)} ${quote}, with the events below ${money(report.replayedEquity)}, live ${money(report.liveEquity)} (live − backtest ${signedMoney(report.liveEquity.minus(report.backtestEquity))})`,
    ...(report.events.length
      ? report.events.map((e) => `  ${eventLine(e, quote)}`)
      : ["  No missed, failed or refused cycle and no change of settings."]),
    ...(report.sameCloseOrder ? [`  ${sameCloseOrderLine(report.sameCloseOrder, quote)}`] : []),
    "",
    `Fills: ${report.fills.filter((f) => f.live).length} live, ${report.fills.filter((f) => f.backtest).length} in the backtest, ${report.fills.length - diffs.length} equal (side, reason, price, quantity, fee)`,
    ...(report.notCompared.length
      ? [`  ${report.notCompared.length} live fill(s) before the records kept were not compared`]
      : []),
    ...(options.fills
      ? report.fills.map((f) => `  ${fillLine(f, report.pairs)}`)
      : diffs.map((f) => `  ${fillLine(f, report.pairs)}`)),
    "",
    verdict(report),
  ];
  return `${lines.join("\n")}\n`;
}

/** A live order at a close that differs from the backtest's, named as its own cause with its effect. */
export function sameCloseOrderLine(o: NonNullable<LiveReport["sameCloseOrder"]>, quote: string): string {
  const [took, before] = [o.first.live[0], o.first.backtest[0]];
  return `same-close order: at ${o.closes} close(s) live committed the account's cycles in another order than the backtest's (the watchlist's); first at ${utcTime(o.first.close)}: ${took} took its turn before ${before} (live ${o.first.live.join(", ")}; backtest ${o.first.backtest.join(", ")}); effect on the final equity ${signedMoney(o.effect)} ${quote}`;
}
