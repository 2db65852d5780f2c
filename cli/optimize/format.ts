import type { CycleConfig } from "../../shared/application/cycle/index.ts";
import { percent } from "../../shared/application/format.ts";
import type { Metrics } from "../../shared/application/optimize/evaluation.ts";
import type { OptimizeResult } from "../../shared/application/optimize/optimize.ts";
import type { Setting } from "../../shared/application/optimize/rule-params.ts";
import { splitSetting, withRules } from "../../shared/application/optimize/rule-params.ts";
import type { Timeframe } from "../../shared/domain/market/timeframe.ts";
import { riskSettingsJson } from "../../shared/domain/trading/risk-config.ts";

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ratio = (value: number | null | undefined) =>
  value === null || value === undefined ? "n/a" : value.toFixed(2);
const settingText = (s: Setting | undefined) =>
  s
    ? Object.entries(s)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ") || "(defaults)"
    : "none (cash)";

/** The chosen setting as a watchlist entry for cdk.json, with the figures that back it. */
export function watchlistEntry(
  result: OptimizeResult,
  context: { symbol: string; timeframe: Timeframe; strategy: string; config: CycleConfig },
): Record<string, unknown> | undefined {
  const wf = result.walkForward;
  const last = wf?.windows.at(-1)?.chosen;
  const chosen = wf ? last : result.ranked[0]?.score === undefined ? undefined : result.ranked[0]?.setting;
  if (!chosen) return undefined;
  // The strategy's parameters go in params; searched risk controls in the entry's own risk; a
  // stake is the account's (tradingBot.stakeFractions), so it is said beside.
  const { strategy: params, rules } = splitSetting(chosen);
  const searchedRisk = Object.keys(rules).some((name) => name.startsWith("risk."));
  const risk = searchedRisk
    ? riskSettingsJson(withRules(context.config, rules, context.timeframe).rules.risk)
    : undefined;
  return {
    symbol: context.symbol,
    timeframes: [context.timeframe],
    strategy: context.strategy,
    params,
    ...(risk ? { risk: JSON.parse(risk) as unknown } : {}),
    optimized: {
      ...(rules.stake === undefined
        ? {}
        : { stakeFraction: `${rules.stake} (tradingBot.stakeFractions["${context.timeframe}"])` }),
      objective: result.objective,
      chosenOn: wf ? "the last walk-forward training window" : "the whole period (in-sample only)",
      ...(wf
        ? {
            outOfSample: wf.outOfSample,
            inSample: wf.inSample,
          }
        : {}),
      probabilityOfOverfitting: round(result.overfitting.pbo),
      // The entry's own setting's, not the whole period's best's.
      deflatedSharpe: round(result.overfitting.chosenDeflatedSharpe),
    },
  };
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null);

function metricCells(m: Metrics): string[] {
  return [
    percent(m.returnPct),
    ratio(m.sharpe),
    ratio(m.sortino),
    ratio(m.calmar),
    `${m.maxDrawdownPct.toFixed(2)} %`,
    ratio(m.profitFactor),
    String(m.entries),
  ];
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  ");
  return [header, ...rows].map((r) => `  ${line(r)}`);
}

/** The result for people: the ranked settings, the walk-forward, the overfitting figures explained, the entry. */
export function formatOptimize(
  result: OptimizeResult,
  context: {
    symbol: string;
    timeframe: Timeframe;
    strategy: string;
    config: CycleConfig;
    top: number;
    skipped: number;
    notRun: number;
    /** Settings whose batch failed on AWS (npm run optimize -- --on aws). */
    failed?: number;
  },
  /** The closing section instead of the one watchlist entry (a portfolio search's entries). */
  entriesText?: () => string,
): string {
  const lines = [
    `Optimized ${context.strategy} on ${context.symbol} ${context.timeframe}: ${result.evaluated} settings over ${result.days.count} days (${day(result.days.first)} to ${day(result.days.first + (result.days.count - 1) * DAY_MS)}, UTC), objective ${result.objective}, at least ${result.minTrades} trade(s)`,
    ...(context.skipped
      ? [`  ${context.skipped} setting(s) skipped: the strategy refuses them (see --json)`]
      : []),
    ...(context.failed
      ? [`  failed on AWS: ${context.failed} setting(s) whose batch failed every try; ranked without them`]
      : []),
    ...(context.notRun ? [`  stopped: ${context.notRun} setting(s) not run; the best so far:`] : []),
    "",
    ...table(
      [
        "rank",
        "setting",
        "return",
        "Sharpe",
        "Sortino",
        "Calmar",
        "max drawdown",
        "profit factor",
        "entries",
      ],
      result.ranked
        .slice(0, context.top)
        // A rank is a ranked setting's; an unranked one (too few trades, no objective) shows "–".
        .map((r, i) => [
          r.score === undefined ? "–" : String(i + 1),
          settingText(r.setting),
          ...metricCells(r.metrics),
        ]),
    ),
  ];
  const unranked = result.ranked.filter((r) => r.score === undefined).length;
  if (unranked)
    lines.push(
      `  (${unranked} setting(s) unranked: fewer than ${result.minTrades} trades, or no ${result.objective})`,
    );
  if (result.walkForward)
    lines.push("", ...walkForwardLines(result.walkForward, result.days.first, result.minTrades));
  lines.push("", ...overfittingLines(result.overfitting));
  const entry = entriesText ? undefined : watchlistEntry(result, context);
  lines.push(
    "",
    entriesText
      ? entriesText()
      : entry
        ? `As a watchlist entry for cdk.json (${result.walkForward ? "the last window's choice" : "in-sample only: validate with --walk-forward"}):\n  ${JSON.stringify(entry)}`
        : "No setting qualifies for a watchlist entry.",
  );
  return `${lines.join("\n")}\n`;
}

/** The walk-forward's windows, in- and out-of-sample figures and how often the choice changed. */
export function walkForwardLines(
  wf: NonNullable<OptimizeResult["walkForward"]>,
  start: number,
  minTrades: number,
): string[] {
  return [
    "Walk-forward (each window's best setting on its training days, traded on the test days after):",
    ...table(
      ["train", "test", "chosen", "in-sample return", "out-of-sample return"],
      wf.windows.map((w) => [
        `${day(start + w.trainFrom * DAY_MS)} to ${day(start + (w.trainTo - 1) * DAY_MS)}`,
        `${day(start + w.trainTo * DAY_MS)} to ${day(start + (w.testTo - 1) * DAY_MS)}${shortWindow(wf.windows, w)}`,
        settingText(w.chosen),
        w.inSample ? percent(w.inSample.returnPct) : "n/a",
        w.outOfSample ? percent(w.outOfSample.returnPct) : "0.00 % (cash)",
      ]),
    ),
    wf.windows.some((w) => w.inSample)
      ? `  in-sample (mean of the windows): return ${percent(wf.inSample.returnPct)} per window, Sharpe ${ratio(wf.inSample.sharpe)}, max drawdown ${wf.inSample.maxDrawdownPct.toFixed(2)} % (daily closes)`
      : `  in-sample: no training window had a setting with ${minTrades} trade(s) or more; every test window stayed in cash`,
    `  out-of-sample (each test window's chosen setting's own returns, chained; not one account switching settings): return ${percent(wf.outOfSample.returnPct)}, Sharpe ${ratio(wf.outOfSample.sharpe)}, max drawdown ${wf.outOfSample.maxDrawdownPct.toFixed(2)} % (daily closes)`,
    `  the chosen setting changed in ${wf.changes} of ${Math.max(0, wf.windows.length - 1)} windows`,
  ];
}

/** The probability of backtest overfitting and the deflated Sharpe ratio, explained. */
export function overfittingLines(o: OptimizeResult["overfitting"]): string[] {
  return [
    `Probability of backtest overfitting (CSCV, ${o.splits} splits): ${Number.isFinite(o.pbo) ? percent(o.pbo * 100).replace("+", "") : "n/a"}`,
    "  how often the best setting of one half of the days ranks in the bottom half on the other half; above 50 %, the ranking is noise",
    `Deflated Sharpe ratio of the best setting: ${Number.isFinite(o.deflatedSharpe) ? percent(o.deflatedSharpe * 100).replace("+", "") : "n/a"} (${o.trials} settings tried)`,
    "  the probability that its true Sharpe ratio is above 0, given that the best of that many looks good by chance alone",
  ];
}

/** A test window under half the others' typical length (the period's last, cut short): its figures are flagged, not trusted. */
function shortWindow(
  windows: readonly { trainTo: number; testTo: number }[],
  w: { trainTo: number; testTo: number },
): string {
  const lengths = windows.map((x) => x.testTo - x.trainTo).sort((a, b) => a - b);
  const typical = lengths[Math.floor(lengths.length / 2)] ?? 0;
  const days = w.testTo - w.trainTo;
  return days * 2 < typical ? ` (short: ${days} day${days === 1 ? "" : "s"})` : "";
}
