import type { Decimal } from "../../domain/money/decimal.ts";
import { ZERO } from "../../domain/money/decimal.ts";
import { type Basket, scheduleText } from "../../domain/rebalance/basket.ts";
import type { RebalanceBacktest } from "./run-rebalance.ts";

const returnPct = (start: Decimal, end: Decimal) =>
  Number(end.minus(start).div(start).times(100).round(4, "halfUp"));

function maxDrawdownPct(curve: readonly Decimal[]): number {
  let peak = ZERO;
  let worst = 0;
  for (const e of curve) {
    if (e.gt(peak)) peak = e;
    if (peak.gt(0)) worst = Math.max(worst, Number(peak.minus(e).div(peak).times(100)));
  }
  return Math.round(worst * 100) / 100;
}

/** What a rebalancing backtest says, as the terminal and --json show it. */
export interface RebalanceReport {
  readonly accountId: string;
  readonly symbols: readonly string[];
  readonly weighting: string;
  readonly timeframe: string;
  readonly every: number;
  /** The hour (UTC) the schedule counts from. */
  readonly hourUtc: number;
  /** The schedule in words ("every 24th 1h close, counted from 12:00 UTC"). */
  readonly schedule: string;
  readonly bandPct: string;
  readonly quoteAsset: string;
  /** Open times of the first and last candle whose close was replayed (epoch ms). */
  readonly from: number;
  readonly to: number;
  readonly closes: number;
  readonly scheduled: number;
  readonly rebalances: number;
  readonly initialEquity: string;
  readonly finalEquity: string;
  readonly returnPct: number;
  readonly maxDrawdownPct: number;
  readonly buyAndHold: {
    readonly finalEquity: string;
    readonly returnPct: number;
    readonly maxDrawdownPct: number;
  };
  readonly equalWeight: {
    readonly finalEquity: string;
    readonly returnPct: number;
    readonly maxDrawdownPct: number;
  };
  readonly fills: number;
  /** Traded notional over the average equity. */
  readonly turnover: number;
  readonly feesPaid: string;
  readonly skippedLegs: number;
  /** The weights at the last scheduled close, before its trades, against their targets (percent). */
  readonly lastWeights: readonly {
    readonly symbol: string;
    readonly current: string;
    readonly target: string;
  }[];
}

export function rebalanceReport(
  run: RebalanceBacktest,
  basket: Basket,
  quoteAsset: string,
  from: number,
  to: number,
): RebalanceReport {
  const equity = run.marks.map((m) => m.equity);
  const start = basket.initialBalance;
  const final = equity.at(-1) ?? start;
  const average = equity.reduce((s, e) => s.plus(e), ZERO).div(Math.max(1, equity.length));
  const traded = run.fills.reduce((s, t) => s.plus(t.quoteAmount), ZERO);
  const baseline = (curve: readonly Decimal[]) => ({
    finalEquity: (curve.at(-1) ?? start).round(2, "halfUp").toFixed(2),
    returnPct: returnPct(start, curve.at(-1) ?? start),
    maxDrawdownPct: maxDrawdownPct(curve),
  });
  const lastSignal = [...run.results].reverse().find((r) => Array.isArray(r.signal?.weights))?.signal;
  return {
    accountId: basket.accountId,
    symbols: basket.symbols,
    weighting: basket.weighting,
    timeframe: basket.timeframe,
    every: basket.every,
    hourUtc: basket.hourUtc,
    schedule: scheduleText(basket),
    bandPct: basket.bandPct.toFixed(),
    quoteAsset,
    from,
    to,
    closes: run.results.length,
    scheduled: run.results.filter((r) => !String(r.signal?.reason).startsWith("not a scheduled time")).length,
    rebalances: run.results.filter((r) => r.signal?.action === "REBALANCE").length,
    initialEquity: start.round(2, "halfUp").toFixed(2),
    finalEquity: final.round(2, "halfUp").toFixed(2),
    returnPct: returnPct(start, final),
    maxDrawdownPct: maxDrawdownPct(equity),
    buyAndHold: baseline(run.buyAndHold),
    equalWeight: baseline(run.equalWeight),
    fills: run.fills.length,
    turnover: average.gt(0) ? Number(traded.div(average).round(2, "halfUp")) : 0,
    feesPaid: run.fills
      .reduce((s, t) => s.plus(t.fee), ZERO)
      .round(2, "halfUp")
      .toFixed(2),
    skippedLegs: run.results.reduce((n, r) => n + (r.skippedLegs?.length ?? 0), 0),
    lastWeights: (lastSignal?.weights as RebalanceReport["lastWeights"] | undefined) ?? [],
  };
}
