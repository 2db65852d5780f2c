import { type Account, newAccount, type Position, type Trade } from "../../domain/account/account.ts";
import type { Candle } from "../../domain/market/candle.ts";
import type { CandleSeries } from "../../domain/market/candle-series.ts";
import { type Timeframe, timeframeMs } from "../../domain/market/timeframe.ts";
import { type Decimal, dec, ZERO } from "../../domain/money/decimal.ts";
import { ACTION_CODES, type ConfiguredStrategy } from "../../domain/strategies/strategy.ts";
import { decideCycle } from "../../domain/trading/decide-cycle.ts";
import { protectionsKeepMs } from "../../domain/trading/protections.ts";
import { protectionsOn } from "../../domain/trading/risk-settings.ts";
import type { TradingRules } from "../../domain/trading/trading-rules.ts";
import { type CycleConfig, candleCount, marketSteps } from "../cycle/index.ts";
import type { SymbolFilters } from "../ports/market-data.ts";
import { accountAfter } from "./account-after.ts";
import { closeUnits, exitThresholds } from "./quiet-candle.ts";
import type { Simulation } from "./simulate.ts";

/** One pair of the account, with its strategy and its rules (its own risk, when the watchlist gives one). */
export interface SimulatedPair {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candles: readonly Candle[];
  readonly series: CandleSeries;
  readonly filters: SymbolFilters;
  readonly strategy: ConfiguredStrategy;
  readonly rules: TradingRules;
  /** Each candle's close as a decimal, made once per market (every setting reads them). */
  readonly closes?: readonly Decimal[];
}

/** The closes of the period, each with the pairs closing then (indices into `pairs`, in the watchlist's order) and their candle's index. */
export interface PortfolioSchedule {
  readonly closes: Float64Array;
  /** Close k's cycles are entries dueStart[k] … dueStart[k + 1] − 1 of duePair (the pair) and dueIndex (its candle). */
  readonly dueStart: Int32Array;
  readonly duePair: Int32Array;
  readonly dueIndex: Int32Array;
}

export interface PortfolioSimulationInput {
  readonly pairs: readonly SimulatedPair[];
  readonly schedule: PortfolioSchedule;
  readonly initialBalance: string;
  readonly quoteAsset: string;
  /** Closed candles per evaluation (the cycle's window). */
  readonly window: number;
}

/** Every close of the pairs' candles opening from `from` to `to`, with who closes then (see run-portfolio.ts's closesOf). */
export function portfolioSchedule(
  pairs: readonly { readonly timeframe: Timeframe; readonly candles: readonly Candle[] }[],
  from: number,
  to: number,
): PortfolioSchedule {
  const byClose = new Map<number, { pair: number; index: number }[]>();
  pairs.forEach((p, pair) => {
    const interval = timeframeMs(p.timeframe);
    p.candles.forEach((c, index) => {
      if (c.openTime < from || c.openTime > to) return;
      const close = c.openTime + interval;
      const list = byClose.get(close) ?? [];
      list.push({ pair, index });
      byClose.set(close, list);
    });
  });
  const sorted = [...byClose].sort(([a], [b]) => a - b);
  const dueStart = new Int32Array(sorted.length + 1);
  const all = sorted.flatMap(([, d]) => d);
  sorted.forEach(([, d], k) => {
    dueStart[k + 1] = (dueStart[k] as number) + d.length;
  });
  return {
    closes: Float64Array.from(sorted.map(([c]) => c)),
    dueStart,
    duePair: Int32Array.from(all.map((d) => d.pair)),
    dueIndex: Int32Array.from(all.map((d) => d.index)),
  };
}

/**
 * The portfolio backtest without its stores: at every close, each due pair's cycle with the
 * cycle's own pure decision (`decideCycle`) on one account in memory, in the watchlist's order;
 * the positions of every pair share the cash and the slots. A cycle that can move nothing (its
 * pair flat, no BUY, no protection to update) is skipped. A differential test holds its fills
 * equal to `npm run backtest -- --account`'s.
 */
export function simulatePortfolio(input: PortfolioSimulationInput): Simulation {
  const { pairs, schedule } = input;
  const steps = pairs.map((p) => marketSteps(p.filters));
  // What one pair's cycle keeps for the others' protections: the account's longest look-back.
  const accountKeepMs = Math.max(
    0,
    ...pairs.map((p) => protectionsKeepMs(p.rules.risk.protections, timeframeMs(p.timeframe))),
  );
  const everyCycle = pairs.map((p) => protectionsOn(p.rules.risk));
  const units = pairs.map((p) => closeUnits(p.series));
  let account: Account = newAccount("optimize", dec(input.initialBalance), new Date(0), input.quoteAsset);
  // The held positions as the cycle last wrote them, and the candle each was last marked at: a
  // quiet candle moves only the mark, kept as an index until a decision needs the position whole.
  const positions: (Position | undefined)[] = pairs.map(() => undefined);
  const markAt = new Int32Array(pairs.length).fill(-1);
  const guards: (Guard | undefined)[] = pairs.map(() => undefined);
  const markMantissa: bigint[] = pairs.map(() => 0n);
  const markScale = new Int32Array(pairs.length);
  const equity = new Float64Array(schedule.closes.length);
  const trades: Trade[] = [];
  let exposed = 0;
  const counts = pairs.map((p) => candleCount(p.strategy, { window: input.window } as CycleConfig));
  const screens = screensOf(pairs, schedule, counts, everyCycle);
  const closeOf = (n: number, index: number) => {
    const pair = pairs[n] as SimulatedPair;
    return pair.closes?.[index] ?? dec((pair.candles[index] as Candle).close);
  };
  const openCount = () => {
    let open = 0;
    for (const p of positions) if (p) open++;
    return open;
  };
  const whole = (n: number): Position | undefined => {
    const p = positions[n];
    const at = markAt[n] as number;
    if (!p || at < 0) return p;
    const candle = (pairs[n] as SimulatedPair).candles[at] as Candle;
    if (p.lastEvaluated === candle.openTime) return p;
    const marked = { ...p, lastEvaluated: candle.openTime, markPrice: closeOf(n, at) };
    positions[n] = marked;
    return marked;
  };
  for (let k = 0; k < schedule.closes.length; k++) {
    let last = -1;
    let lastIndex = -1;
    for (let e = schedule.dueStart[k] as number; e < (schedule.dueStart[k + 1] as number); e++) {
      const n = schedule.duePair[e] as number;
      const index = schedule.dueIndex[e] as number;
      const pair = pairs[n] as SimulatedPair;
      const candle = pair.candles[index] as Candle;
      last = n;
      lastIndex = index;
      const held = positions[n];
      const screen = screens[n];
      if (screen) {
        const action = screen.actions[index - screen.first];
        if (!held && action !== ACTION_CODES.BUY) continue;
        // Held, on a HOLD, and the candle reaches no exit: only the mark moves (as the cycle leaves it).
        if (held && action === ACTION_CODES.HOLD && quiet(guards[n] as Guard, candle)) {
          markAt[n] = index;
          continue;
        }
      }
      const signal = pair.strategy.evaluate(pair.series, index, Math.min(counts[n] as number, index + 1));
      if (!everyCycle[n]) {
        if (!held && signal.action !== "BUY") continue;
        // Flat with every slot taken: the entry is refused and nothing else can move.
        if (!held && openCount() >= pair.rules.maxOpenPositions) continue;
        // Held on a HOLD, or on a BUY that cannot add to it, and the candle reaches no exit: only the mark moves.
        if (
          held &&
          (signal.action === "HOLD" || (signal.action === "BUY" && !signal.plan?.addToPosition)) &&
          quiet(guards[n] as Guard, candle)
        ) {
          markAt[n] = index;
          continue;
        }
      }
      const all: Position[] = [];
      for (let m = 0; m < pairs.length; m++) {
        const p = whole(m);
        if (p) all.push(p);
      }
      const decision = decideCycle({
        symbol: pair.symbol,
        timeframe: pair.timeframe,
        candles: [candle],
        signal,
        account,
        positions: all,
        steps: steps[n] as ReturnType<typeof marketSteps>,
        rules: pair.rules,
        entryBlocked:
          pair.filters.status === "TRADING"
            ? undefined
            : `Binance lists ${pair.symbol} as ${pair.filters.status}, not TRADING`,
        accountKeepMs,
      });
      const after = accountAfter(account, decision);
      account = after.account;
      trades.push(...after.fills);
      positions[n] = decision.after;
      markAt[n] = decision.after ? index : -1;
      guards[n] = decision.after && exitThresholds(decision.after);
    }
    const cash = account.balances[input.quoteAsset] ?? ZERO;
    let open = 0;
    for (const p of positions) if (p) open++;
    if (open) exposed++;
    equity[k] = equityAt(cash, last, lastIndex);
  }
  return { equity, trades, exposed };

  /**
   * The account's equity after a close, as the cycle reports it (equityOf, cut to 8 decimals): the
   * cash, each position at its mark, those of the last pair's symbol at that pair's close. In
   * integers of 1e-8 when every close is exact there, else in decimals.
   */
  function equityAt(cash: Decimal, last: number, lastIndex: number): number {
    const symbol = last >= 0 ? (pairs[last] as SimulatedPair).symbol : "";
    // Each position's price as an integer and its scale: the mark as the cycle wrote it, a later
    // close it was marked at (1e-8 units when exact), or the last pair's close for its symbol.
    let scale = cash.scale;
    for (let m = 0; m < pairs.length; m++) {
      const p = positions[m];
      if (!p) continue;
      let n = m;
      let at = markAt[m] as number;
      if (p.symbol === symbol) {
        n = last;
        at = lastIndex;
      } else if (p.lastEvaluated === ((pairs[m] as SimulatedPair).candles[at] as Candle).openTime) {
        markMantissa[m] = p.markPrice.mantissa;
        markScale[m] = p.markPrice.scale;
        scale = Math.max(scale, p.quantity.scale + p.markPrice.scale);
        continue;
      }
      const u = units[n] as ReturnType<typeof closeUnits>;
      if (u.exact[at] === 1) {
        markMantissa[m] = u.units[at] as bigint;
        markScale[m] = 8;
      } else {
        const d = closeOf(n, at);
        markMantissa[m] = d.mantissa;
        markScale[m] = d.scale;
      }
      scale = Math.max(scale, p.quantity.scale + (markScale[m] as number));
    }
    let total = cash.mantissa * pow10(scale - cash.scale);
    for (let m = 0; m < pairs.length; m++) {
      const p = positions[m];
      if (p)
        total +=
          p.quantity.mantissa *
          (markMantissa[m] as bigint) *
          pow10(scale - p.quantity.scale - (markScale[m] as number));
    }
    // Cut to 8 decimals toward zero, as toFixed(8); the number the cycle reports.
    const cut = scale >= 8 ? total / pow10(scale - 8) : total * pow10(8 - scale);
    if (cut >= 0n && cut <= MAX_SAFE) return Number(cut) / 1e8;
    const sign = cut < 0n ? "-" : "";
    const abs = cut < 0n ? -cut : cut;
    return Number(`${sign}${abs / 100_000_000n}.${(abs % 100_000_000n).toString().padStart(8, "0")}`);
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Each pair's strategy screen over the period when it has one (none where protections need every cycle). */
function screensOf(
  pairs: readonly SimulatedPair[],
  schedule: PortfolioSchedule,
  counts: readonly number[],
  everyCycle: readonly boolean[],
) {
  const first = pairs.map(() => Number.POSITIVE_INFINITY);
  const end = pairs.map(() => -1);
  for (let e = 0; e < schedule.duePair.length; e++) {
    const pair = schedule.duePair[e] as number;
    const index = schedule.dueIndex[e] as number;
    first[pair] = Math.min(first[pair] as number, index);
    end[pair] = Math.max(end[pair] as number, index + 1);
  }
  return pairs.map((p, n) => {
    if (everyCycle[n] || (end[n] as number) < 0) return undefined;
    const from = first[n] as number;
    const actions = p.strategy.actions?.(p.series, from, end[n] as number, counts[n] as number);
    return actions && { first: from, actions };
  });
}

const POW10: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
const pow10 = (n: number) => POW10[n] ?? 10n ** BigInt(n);

/** A held position's exits as numbers (prices of at most 8 decimals keep their order as doubles). */
type Guard = ReturnType<typeof exitThresholds>;

/** A candle that reaches none of the position's exits (nor its trailing stop's activation): nothing but its mark moves. */
const quiet = (g: Guard, candle: Candle) =>
  !(candle.low <= g.stop || candle.high >= g.tp1 || candle.high >= g.tp2 || candle.close >= g.trailFrom);
