import { maxDrawdown } from "../../domain/backtest/performance.ts";
import { type RoundTrip, roundTrips } from "../../domain/backtest/round-trips.ts";
import { timeframeMs } from "../../domain/market/timeframe.ts";
import { type Decimal, dec, ZERO } from "../../domain/money/decimal.ts";
import type { PortfolioPair, PortfolioRun } from "./run-portfolio.ts";

/** Why a BUY signal opened nothing, for a trader choosing maxOpenPositions and stakes. */
export type NotTakenReason =
  | "slots full"
  | "not enough cash"
  | "a protection"
  | "below the minimum"
  | "other";
export const NOT_TAKEN_REASONS: readonly NotTakenReason[] = [
  "slots full",
  "not enough cash",
  "a protection",
  "below the minimum",
  "other",
];

/** One pair's part of the account, freqtrade's per-pair table and what it added to the equity. */
export interface PairRow {
  readonly pair: string;
  /** Round trips closed (an open one is counted apart). */
  readonly trades: number;
  readonly open: number;
  readonly winPct: number | null;
  /** After every fee, in the quote asset. */
  readonly avgProfit: string | null;
  readonly totalProfit: string;
  readonly avgDurationHours: number | null;
  readonly best: string | null;
  readonly worst: string | null;
  /** Share of the period's closes at which the pair held a position, %. */
  readonly timeInMarketPct: number;
  /** Realised profit plus the open position's value over its cost at the last close. */
  readonly contribution: string;
  /** BUY signals that opened nothing while an entry was possible (the pair flat), by why. */
  readonly notTaken: Readonly<Record<NotTakenReason, number>>;
}

export interface PortfolioReport {
  readonly accountId: string;
  /** The account's cash: every amount is in it. */
  readonly quoteAsset: string;
  readonly pairs: readonly PairRow[];
  readonly initialEquity: string;
  readonly finalEquity: string;
  readonly totalReturnPct: number;
  readonly maxDrawdownPct: number;
  /** Equal weight in every symbol at the first close, held to the last (no fee). */
  readonly buyAndHoldReturnPct: number;
  readonly buyAndHoldMaxDrawdownPct: number;
  /** The account at each close: equity, the equal-weight buy and hold's, and the slots in use. */
  readonly curve: readonly { time: number; equity: number; buyAndHold: number; openPositions: number }[];
  readonly maxOpenPositions: number;
  readonly sameCloseOrder: string;
  readonly from: number;
  readonly to: number;
}

/** Sorts a skipped entry's reason into the table's columns; undefined: no entry was possible (the pair held a position). */
function notTakenReason(result: {
  entrySkipped?: string;
  protections?: { blockedEntry?: string };
  position?: unknown;
}): NotTakenReason | undefined {
  const why = result.entrySkipped ?? "";
  if (/position is open already/.test(why)) return undefined;
  if (result.protections?.blockedEntry) return "a protection";
  if (/maximum of \d+ open positions/.test(why)) return "slots full";
  if (/^not enough cash/.test(why)) return "not enough cash";
  if (/below the minimum notional/.test(why)) return "below the minimum";
  return "other";
}

const hours = (ms: number) => ms / 3_600_000;
const round2 = (value: number) => Math.round(value * 100) / 100;

export function portfolioReport(
  run: PortfolioRun,
  pairs: readonly PortfolioPair[],
  options: {
    accountId: string;
    quoteAsset: string;
    initialBalance: Decimal;
    maxOpenPositions: number;
    from: number;
    to: number;
    sameCloseOrder: string;
  },
): PortfolioReport {
  const { accountId, initialBalance } = options;
  const trips = roundTrips(run.trades);
  // Each pair's last cycle: its close and what it held then (valued at that close).
  const last = new Map<string, PortfolioRun["cycles"][number]["result"]>();
  for (const c of run.cycles) last.set(c.pair, c.result);
  const rows = pairs.map((p): PairRow => {
    const name = `${p.symbol} ${p.timeframe}`;
    const mine = trips.filter((t) => `${t.symbol} ${t.timeframe}` === name);
    const closed = mine.filter((t) => t.exitTime !== undefined);
    const open = mine.filter((t) => t.exitTime === undefined);
    const interval = timeframeMs(p.timeframe);
    const notTaken = Object.fromEntries(NOT_TAKEN_REASONS.map((r) => [r, 0])) as Record<
      NotTakenReason,
      number
    >;
    let holding = 0;
    for (const c of run.cycles) {
      if (c.pair !== name) continue;
      if (c.result.position) holding++;
      if (c.result.signal?.action === "BUY" && !c.result.entry) {
        const why = notTakenReason(c.result);
        if (why) notTaken[why]++;
      }
    }
    const pnl = (t: RoundTrip) => t.pnl;
    const total = closed.reduce((s, t) => s.plus(pnl(t)), ZERO);
    // An open position adds what its partial exits brought and its value over its cost at the last close.
    const final = last.get(name);
    const held = final?.position;
    const openValue = open
      .reduce((s, t) => s.plus(t.pnl), ZERO)
      .plus(
        held && final?.candle
          ? dec(held.quantity).times(dec(String(final.candle.close)).minus(dec(held.entryPrice)))
          : ZERO,
      );
    const sorted = closed.map(pnl).sort((a, b) => a.cmp(b));
    const cyclesOfPair = run.cycles.filter((c) => c.pair === name).length;
    return {
      pair: name,
      trades: closed.length,
      open: open.length,
      winPct: closed.length ? round2((closed.filter((t) => t.pnl.gt(0)).length / closed.length) * 100) : null,
      avgProfit: closed.length ? total.div(closed.length).toFixed(2) : null,
      totalProfit: total.toFixed(2),
      avgDurationHours: closed.length
        ? round2(
            closed.reduce(
              (s, t) => s + hours((t.exitTime as number) + interval - (t.entryTime + interval)),
              0,
            ) / closed.length,
          )
        : null,
      best: sorted.at(-1)?.toFixed(2) ?? null,
      worst: sorted[0]?.toFixed(2) ?? null,
      timeInMarketPct: cyclesOfPair ? round2((holding / cyclesOfPair) * 100) : 0,
      contribution: total.plus(openValue).toFixed(2),
      notTaken,
    };
  });
  const buyAndHold = equalWeight(pairs, run, Number(initialBalance.toFixed()));
  const curve = run.marks.map((m, i) => ({
    time: m.close,
    equity: m.equity,
    buyAndHold: buyAndHold[i] ?? Number.NaN,
    openPositions: m.openPositions,
  }));
  const final = run.marks.at(-1)?.equity ?? Number(initialBalance.toFixed());
  const initial = Number(initialBalance.toFixed());
  return {
    accountId,
    quoteAsset: options.quoteAsset,
    pairs: rows,
    initialEquity: initialBalance.toFixed(2),
    finalEquity: final.toFixed(2),
    totalReturnPct: round2(((final - initial) / initial) * 100),
    maxDrawdownPct: round2(
      maxDrawdown(curve.map((c) => ({ time: c.time, equity: c.equity }))).fraction * 100,
    ),
    buyAndHoldReturnPct: round2((((buyAndHold.at(-1) ?? initial) - initial) / initial) * 100),
    buyAndHoldMaxDrawdownPct: round2(
      maxDrawdown(curve.map((c) => ({ time: c.time, equity: c.buyAndHold }))).fraction * 100,
    ),
    curve,
    maxOpenPositions: options.maxOpenPositions,
    sameCloseOrder: options.sameCloseOrder,
    from: options.from,
    to: options.to,
  };
}

/**
 * Equal weight in every symbol of the account at the first close (each symbol once, at its
 * finest timeframe's close), held: the value at each of the account's closes.
 */
function equalWeight(pairs: readonly PortfolioPair[], run: PortfolioRun, initial: number): number[] {
  const bySymbol = new Map<string, PortfolioPair>();
  for (const p of pairs) {
    const known = bySymbol.get(p.symbol);
    if (!known || timeframeMs(p.timeframe) < timeframeMs(known.timeframe)) bySymbol.set(p.symbol, p);
  }
  const first = run.marks[0]?.close;
  if (first === undefined) return [];
  const legs = [...bySymbol.values()].map((p) => {
    const interval = timeframeMs(p.timeframe);
    const closes = p.candles.map((c) => ({ close: c.openTime + interval, price: c.close }));
    return { closes, index: 0, last: priceAt(closes, first) };
  });
  const units = legs.map((l) => (l.last ? initial / legs.length / l.last : 0));
  return run.marks.map((m) =>
    legs.reduce((sum, leg, k) => {
      const price = priceAt(leg.closes, m.close) ?? leg.last ?? 0;
      return sum + (units[k] ?? 0) * price;
    }, 0),
  );
}

/** The last close at or before `time`. */
function priceAt(closes: readonly { close: number; price: number }[], time: number): number | undefined {
  let lo = 0;
  let hi = closes.length - 1;
  let found: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = closes[mid] as { close: number; price: number };
    if (c.close <= time) {
      found = c.price;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
