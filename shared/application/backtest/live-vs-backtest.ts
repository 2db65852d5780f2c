import type { Timeframe } from "../../domain/market/timeframe.ts";
import { type Decimal, ZERO } from "../../domain/money/decimal.ts";
import { type CycleSettings, settingsChanges } from "../cycle-settings.ts";
import type { CycleNote, CycleRecord, StoredTrade } from "../ports/account-repository.ts";

/** A fill in one and not the other, or the same fill with another price, quantity or fee. */
export interface FillDifference {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Open time of the candle the fill belongs to. */
  readonly candleTime: number;
  readonly side: "BUY" | "SELL";
  readonly reason: string;
  readonly live?: StoredTrade;
  readonly backtest?: StoredTrade;
  /** "only live", "only backtest", or what differs: "price", "quantity", "fee". */
  readonly differs: readonly string[];
}

/** Where live and the backtest part: the first difference, its cause, and what followed from it. */
export interface Divergence {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candleTime: number;
  /** What the records show ("cycle failed", "missed cycle", …); undefined: unexplained. */
  readonly cause: string | undefined;
  /** The first difference, then the later ones that follow from it. */
  readonly fills: FillDifference[];
}

export interface LiveEvidence {
  /** The live cycle records, by pair ("BNBUSDT 4h") and candle open time. */
  readonly records: ReadonlyMap<string, ReadonlyMap<number, CycleRecord>>;
  readonly notes: readonly CycleNote[];
  /** The settings the replay ran each pair with. */
  readonly replaySettings: ReadonlyMap<string, CycleSettings>;
}

const pairOf = (f: { symbol: string; timeframe: string }) => `${f.symbol} ${f.timeframe}`;
const fillKey = (t: StoredTrade) => `${pairOf(t)}|${t.candleTime}|${t.side}|${t.reason}`;

/** Pairs the fills of live and the backtest by pair, candle, side and reason; lists what differs. */
export function compareFills(
  live: readonly StoredTrade[],
  backtest: readonly StoredTrade[],
): { matched: number; differences: FillDifference[] } {
  const byKey = new Map<string, { live: StoredTrade[]; backtest: StoredTrade[] }>();
  const slot = (t: StoredTrade) => {
    const key = fillKey(t);
    const entry = byKey.get(key) ?? { live: [], backtest: [] };
    byKey.set(key, entry);
    return entry;
  };
  for (const t of live) slot(t).live.push(t);
  for (const t of backtest) slot(t).backtest.push(t);
  let matched = 0;
  const differences: FillDifference[] = [];
  for (const entry of byKey.values()) {
    for (let i = 0; i < Math.max(entry.live.length, entry.backtest.length); i++) {
      const l = entry.live[i];
      const b = entry.backtest[i];
      const any = (l ?? b) as StoredTrade;
      const base = {
        symbol: any.symbol,
        timeframe: any.timeframe,
        candleTime: any.candleTime,
        side: any.side,
        reason: any.reason,
      };
      if (!l || !b) {
        differences.push({
          ...base,
          ...(l ? { live: l } : { backtest: b }),
          differs: [l ? "only live" : "only backtest"],
        });
        continue;
      }
      const differs = [
        ...(l.price.eq(b.price) ? [] : ["price"]),
        ...(l.quantity.eq(b.quantity) ? [] : ["quantity"]),
        ...(l.fee.eq(b.fee) ? [] : ["fee"]),
      ];
      if (differs.length === 0) matched++;
      else differences.push({ ...base, live: l, backtest: b, differs });
    }
  }
  differences.sort(
    (a, b) =>
      a.candleTime - b.candleTime || pairOf(a).localeCompare(pairOf(b)) || sequenceOf(a) - sequenceOf(b),
  );
  return { matched, differences };
}

const sequenceOf = (d: FillDifference) => (d.live ?? d.backtest)?.sequence ?? 0;

/** Why the live cycle of a candle can differ from the replay's, as far as its records show. */
export function causeAt(evidence: LiveEvidence, pair: string, candleTime: number): string | undefined {
  const record = evidence.records.get(pair)?.get(candleTime);
  if (!record) {
    const notes = evidence.notes.filter((n) => pairOf(n) === pair && n.candleTime === candleTime);
    if (notes.some((n) => n.kind === "failed"))
      return "cycle failed (its failure alert went out; no retry committed it)";
    const refused = notes.find((n) => n.kind === "refused");
    if (refused)
      return `cycle refused (${refused.reason === "StaleCycleError" ? "stale: a later candle was committed first" : refused.reason === "LateEventError" ? "late: the event came too long after the close" : refused.reason})`;
    return "missed cycle (no live cycle ran for this candle: the runner was stopped or the event never came)";
  }
  const replayed = evidence.replaySettings.get(pair);
  if (record.settings && replayed) {
    const changes = settingsChanges(replayed, record.settings);
    if (changes.length > 0) return `settings changed (${changes.join("; ")})`;
  }
  return undefined;
}

/** Net base quantity of a pair after every fill up to and including `candleTime`, exact. */
function positionAfter(fills: readonly StoredTrade[], pair: string, candleTime: number): Decimal {
  let sum = ZERO;
  for (const f of fills) {
    if (pairOf(f) !== pair || f.candleTime > candleTime) continue;
    sum = f.side === "BUY" ? sum.plus(f.quantity) : sum.minus(f.quantity);
  }
  return sum;
}

/**
 * Groups the differences into divergences, each with its cause where the live records show one:
 * the candle's cycle failed, was refused, never ran, or ran with other settings than the replay.
 * A later difference follows from an earlier divergence when the pair's positions still differ
 * since it, or (only another quantity or fee, or a fill in one side only) when an earlier
 * explained divergence has left the account with other cash. Prices never follow from cash: a
 * price difference with no cause of its own and no open divergence on its pair is unexplained.
 */
export function explainDivergences(
  differences: readonly FillDifference[],
  live: readonly StoredTrade[],
  backtest: readonly StoredTrade[],
  evidence: LiveEvidence,
): Divergence[] {
  const divergences: Divergence[] = [];
  const open = new Map<string, Divergence>();
  let lastExplained: Divergence | undefined;
  for (const difference of differences) {
    const pair = pairOf(difference);
    const own = causeAt(evidence, pair, difference.candleTime);
    let root = open.get(pair);
    if (!root && own === undefined && lastExplained && !difference.differs.includes("price"))
      root = lastExplained;
    if (root) root.fills.push(difference);
    else {
      root = {
        symbol: difference.symbol,
        timeframe: difference.timeframe,
        candleTime: difference.candleTime,
        cause: own,
        fills: [difference],
      };
      divergences.push(root);
    }
    if (root.cause !== undefined) lastExplained = root;
    const differ = !positionAfter(live, pair, difference.candleTime).eq(
      positionAfter(backtest, pair, difference.candleTime),
    );
    if (differ) open.set(pair, root);
    else open.delete(pair);
  }
  return divergences;
}
