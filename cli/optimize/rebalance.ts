import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { rankAndValidate } from "../../shared/application/optimize/optimize.ts";
import { type Axis, grid, parseAxis } from "../../shared/application/optimize/search-space.ts";
import {
  parseWalkForward,
  type WalkForwardSpec,
  walkForwardMisfit,
} from "../../shared/application/optimize/walk-forward.ts";
import {
  rebalanceCalendar,
  rebalanceEvaluation,
} from "../../shared/application/rebalance/rebalance-evaluation.ts";
import { rebalanceReport } from "../../shared/application/rebalance/rebalance-report.ts";
import { runRebalance } from "../../shared/application/rebalance/run-rebalance.ts";
import { timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { minuteUtc } from "../../shared/domain/market/utc.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { type Basket, candlesNeeded } from "../../shared/domain/rebalance/basket.ts";
import type { ParamSpec } from "../../shared/domain/strategies/strategy.ts";
import type { PortfolioFlags } from "../backtest/portfolio-input.ts";
import { basketMarket } from "../backtest/rebalance.ts";
import { UsageError } from "../cli-errors.ts";
import { progressBar } from "../progress.ts";
import { overfittingLines, walkForwardLines } from "./format.ts";

/** What a rebalancing account's search moves: its band, its schedule and its look-back. */
export const REBALANCE_PARAMS: Readonly<Record<string, ParamSpec>> = {
  bandPct: {
    type: "number",
    min: 0,
    max: 100,
    doc: "percentage points a weight may drift before a rebalance trades",
  },
  every: { type: "integer", min: 1, max: 10_000, doc: "rebalance at every n-th close of the timeframe" },
  lookbackDays: { type: "integer", min: 2, max: 365, doc: "inverse-volatility: days of daily returns" },
};

const ONE_PAIR = [
  "symbol",
  "timeframe",
  "csv",
  "strategy",
  "samples",
  "html",
  "heatmap",
  "objective",
  "workers",
  "min-trades",
  "seed",
];

/**
 * `npm run optimize -- --account <rebalancing id> --param bandPct=0..10:2 --param every=1,7,14`:
 * every setting replayed through the same rebalance as the backtest, over the same closes (the
 * period the longest look-back allows), ranked by return; the best as a tradingBot.rebalancing entry.
 */
export async function optimizeRebalancing(
  flags: PortfolioFlags & { param?: string[]; json?: boolean; top?: string; "walk-forward"?: string },
  basket: Basket,
): Promise<number> {
  for (const single of ONE_PAIR)
    if (flags[single] !== undefined)
      throw new UsageError(`--${single} is not for a rebalancing account's search (${basket.accountId})`);
  let axes: Record<string, Axis>;
  try {
    axes = Object.fromEntries(
      (flags.param ?? []).map((text) => parseAxis({ name: "rebalance", params: REBALANCE_PARAMS }, text)),
    );
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (Object.keys(axes).length === 0)
    throw new UsageError(
      "give what to search: --param bandPct=0..10:1, --param every=1,7,14, --param lookbackDays=10..60:10",
    );
  if (axes.lookbackDays && basket.weighting !== "inverse-volatility")
    throw new UsageError(
      `--param lookbackDays is for an inverse-volatility basket; ${basket.accountId}'s is ${basket.weighting}`,
    );
  if (Object.values(axes).some((a) => a.kind === "range"))
    throw new UsageError("a range without a step is for --samples; add :step for a grid (from..to:step)");
  let settings: ReturnType<typeof grid>;
  try {
    settings = grid(axes);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const top = flags.top === undefined ? 10 : Number(flags.top);
  if (!Number.isInteger(top) || top < 1)
    throw new UsageError(`--top must be a whole number from 1, got "${flags.top}"`);
  const variants = settings.map((s) => ({
    setting: s,
    basket: {
      ...basket,
      ...(s.bandPct === undefined ? {} : { bandPct: dec(String(s.bandPct)) }),
      ...(s.every === undefined ? {} : { every: s.every }),
      ...(s.lookbackDays === undefined ? {} : { lookbackDays: s.lookbackDays }),
    },
  }));
  let walk: WalkForwardSpec | undefined;
  try {
    walk = flags["walk-forward"] === undefined ? undefined : parseWalkForward(flags["walk-forward"]);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const window = Math.max(...variants.map((v) => candlesNeeded(v.basket)));
  const { market, local } = await basketMarket(flags, basket, window);
  const interval = timeframeMs(basket.timeframe);
  const days = { ...rebalanceCalendar(market.from, market.to, interval), from: market.from };
  const { calendar } = days;
  const initialBalance = Number(basket.initialBalance.toFixed());
  if (walk) {
    const misfit = walkForwardMisfit(walk, flags["walk-forward"] as string, calendar);
    if (misfit) throw new UsageError(misfit);
  }
  const quoteAsset = local.cycle.quoteAsset;
  const bar = progressBar(`Searching ${settings.length} settings of account ${basket.accountId}`);
  const results = [];
  for (const [i, v] of variants.entries()) {
    const run = await runRebalance({
      ...{ basket: v.basket },
      quoteAsset,
      pairs: market.pairs,
      from: market.from,
      to: market.to,
      stores: memoryReplayStores,
    });
    const report = rebalanceReport(run, v.basket, quoteAsset, market.from, market.to);
    results.push({
      setting: v.setting,
      basket: v.basket,
      report,
      evaluation: rebalanceEvaluation(v.setting, run, days, interval, initialBalance),
    });
    bar.update(i + 1, variants.length);
  }
  // Walk-forward and the overfitting statistics read the settings' replays as the strategies' search does.
  const validation = rankAndValidate(
    results.map((r) => r.evaluation),
    {
      objective: "return",
      minTrades: 0,
      initialBalance,
      walkForward: walk,
      calendar,
      start: market.from,
    },
  );
  results.sort((a, b) => b.report.returnPct - a.report.returnPct);
  const lastChoice = validation.walkForward?.windows.at(-1)?.chosen;
  const best = walk
    ? results.find((r) => JSON.stringify(r.setting) === JSON.stringify(lastChoice))
    : results[0];
  const entry = best && {
    accountId: basket.accountId,
    symbols: basket.symbols,
    weighting: basket.weighting,
    ...(basket.weights
      ? { weights: Object.fromEntries(Object.entries(basket.weights).map(([k, w]) => [k, Number(w)])) }
      : { cashPct: Number(basket.cashPct) }),
    ...(basket.weighting === "inverse-volatility" ? { lookbackDays: best.basket.lookbackDays } : {}),
    timeframe: basket.timeframe,
    every: best.basket.every,
    ...(basket.hourUtc === 0 ? {} : { hourUtc: basket.hourUtc }),
    ...(basket.slippageBps.eq(0) ? {} : { slippageBps: Number(basket.slippageBps) }),
    bandPct: Number(best.basket.bandPct),
  };
  const rows = results.slice(0, top).map((r) => ({
    ...r.setting,
    returnPct: r.report.returnPct,
    maxDrawdownPct: r.report.maxDrawdownPct,
    rebalances: r.report.rebalances,
    feesPaid: r.report.feesPaid,
    turnover: r.report.turnover,
  }));
  if (flags.json)
    process.stdout.write(
      `${JSON.stringify({
        accountId: basket.accountId,
        from: market.from,
        to: market.to,
        settings: settings.length,
        top: rows,
        walkForward: validation.walkForward
          ? { ...validation.walkForward, stitched: [...validation.walkForward.stitched] }
          : null,
        overfitting: validation.overfitting,
        entry,
      })}\n`,
    );
  else
    process.stdout.write(
      [
        `Search of rebalancing account ${basket.accountId}: ${settings.length} settings, candles opening ${minuteUtc(market.from)} to ${minuteUtc(market.to)}, ranked by return`,
        ...rows.map(
          (r, i) =>
            `  ${i + 1}. ${Object.keys(axes)
              .map((k) => `${k}=${r[k as keyof typeof r]}`)
              .join(
                " ",
              )}: ${r.returnPct >= 0 ? "+" : ""}${r.returnPct.toFixed(2)} %, max drawdown ${r.maxDrawdownPct.toFixed(2)} %, ${r.rebalances} rebalances, fees ${r.feesPaid} ${quoteAsset}, turnover ${r.turnover.toFixed(2)}×`,
        ),
        ...(validation.walkForward
          ? ["", ...walkForwardLines(validation.walkForward, validation.days.first, 0)]
          : []),
        "",
        ...overfittingLines(validation.overfitting),
        "",
        walk
          ? "The last window's choice as a tradingBot.rebalancing entry:"
          : "The best as a tradingBot.rebalancing entry (in-sample only: validate with --walk-forward):",
        `  ${JSON.stringify(entry)}`,
        "",
      ].join("\n"),
    );
  return 0;
}
