import { closeTimeOf } from "../../domain/market/timeframe.ts";
import { type Decimal, ZERO } from "../../domain/money/decimal.ts";
import type { CycleConfig } from "../cycle/index.ts";
import type { AccountState, CycleNote, CycleRecord, StoredTrade } from "../ports/account-repository.ts";
import type { CycleSettings } from "../ports/cycle-record.ts";
import type { ReplayStores } from "../ports/replay-stores.ts";
import { closeAt, pairKey, type ReplayPair, replayAccount } from "./account-replay.ts";
import { checkFidelity, type FidelityResult } from "./fidelity.ts";
import { LedgerStates } from "./ledger-state.ts";
import { comparePath, type FillRow } from "./path.ts";
import { type PathEventWithEffect, pathEvents, planWith } from "./path-events.ts";
import { ReplayConfigs, type ResolveStrategy } from "./replay-config.ts";

/** What the report reads of one account: its state, ledger, cycle records and notes, and the candles served now. */
export interface LiveEvidence {
  readonly state: AccountState;
  /** The ledger, oldest first. */
  readonly trades: readonly StoredTrade[];
  readonly records: ReadonlyMap<string, ReadonlyMap<number, CycleRecord>>;
  readonly notes: readonly CycleNote[];
  /** Every pair with records, in the order the runner runs them (the watchlist's). */
  readonly pairs: readonly ReplayPair[];
  /** The settings of a pair whose first record holds none (written before settings were recorded). */
  readonly fallbackSettings: (pair: string) => CycleSettings;
  readonly config: CycleConfig;
  readonly resolveStrategy: ResolveStrategy;
  /** Where the replays run (the adapters' in-memory stores). */
  readonly stores: ReplayStores;
}

export interface LiveComparison {
  readonly firstSettings: ReadonlyMap<string, CycleSettings>;
  readonly fidelity: FidelityResult;
  readonly events: readonly PathEventWithEffect[];
  readonly backtestEquity: Decimal;
  readonly replayedEquity: Decimal;
  readonly liveEquity: Decimal;
  readonly fills: readonly FillRow[];
  /** Live fills before their pair's first record kept (expired): not compared. */
  readonly notCompared: readonly StoredTrade[];
  /** Cycles that decided otherwise than recorded with nothing to explain it. */
  readonly unexplainedCycles: number;
  /** Fill differences nothing explains (not counting those of an unexplained cycle). */
  readonly unexplainedFills: number;
  /**
   * Closes at which live committed the account's cycles in another order than the backtest's (the
   * watchlist's: `npm run backtest -- --account`): the first such close with both orders, how many,
   * and the effect on the final equity (live's order less the watchlist's, the replays otherwise
   * equal). Absent when every close ran in the watchlist's order.
   */
  readonly sameCloseOrder?: {
    readonly closes: number;
    readonly first: {
      readonly close: number;
      readonly live: readonly string[];
      readonly backtest: readonly string[];
    };
    readonly effect: Decimal;
  };
}

/**
 * Live against the backtest, proven two ways (docs/live-vs-backtest.md): every live cycle replayed
 * from the state it had (fidelity), and the account against the uninterrupted backtest with each
 * event's effect (path). A cause is given only where a record shows it and a replay reproduces it.
 */
export async function compareLive(evidence: LiveEvidence): Promise<LiveComparison> {
  const { state, pairs, records } = evidence;
  const { account } = state;
  const order = new Map(pairs.map((p, i) => [pairKey(p), i]));
  const pairRank = (pair: string) => order.get(pair) ?? pairs.length;
  const inPeriod = (t: StoredTrade) => {
    const pair = pairs.find((p) => pairKey(p) === pairKey(t));
    return pair !== undefined && t.candleTime >= pair.from && t.candleTime <= pair.to;
  };
  const live = evidence.trades.filter(inPeriod);
  const allRecords = [...records.values()].flatMap((m) => [...m.values()]);
  const ledger = new LedgerStates({
    records: allRecords,
    trades: live,
    initialBalance: account.initialBalance,
    quoteAsset: account.quoteAsset,
    rank: pairRank,
  });
  // Among cycles closing together, live's commit order; cycles live never ran come after, in watchlist order.
  const atClose = new Map<string, number>();
  const seenAtClose = new Map<number, number>();
  for (const r of ledger.records) {
    const close = closeTimeOf(r.candleTime, r.timeframe);
    const n = seenAtClose.get(close) ?? 0;
    seenAtClose.set(close, n + 1);
    atClose.set(`${pairKey(r)}|${r.candleTime}`, n);
  }
  const rank = (pair: string, candleTime: number) =>
    atClose.get(`${pair}|${candleTime}`) ?? 1_000_000 + pairRank(pair);
  const configs = new ReplayConfigs(evidence.config, evidence.resolveStrategy, account.id);
  const firstSettings = new Map<string, CycleSettings>();
  for (const p of pairs) {
    const first = records.get(pairKey(p))?.get(p.from);
    firstSettings.set(pairKey(p), first?.settings ?? evidence.fallbackSettings(pairKey(p)));
  }
  const { stores } = evidence;
  const fidelity = await checkFidelity({ ledger, pairs, configs, accountId: account.id, stores });
  const events = pathEvents({
    pairs,
    records,
    notes: evidence.notes,
    filledCandles: new Set(ledger.orphans.map((t) => `${pairKey(t)}|${t.candleTime}`)),
    rank: pairRank,
  });
  const path = await comparePath({
    accountId: account.id,
    initialBalance: account.initialBalance,
    quoteAsset: account.quoteAsset,
    pairs,
    configs,
    stores,
    events,
    firstSettings,
    rank,
    live,
    findings: fidelity.findings,
    writtenAt: (t) => ledger.writtenAt(t),
  });
  let liveEquity = account.balances[account.quoteAsset] ?? ZERO;
  for (const position of state.positions) {
    const pair = pairs.find((p) => pairKey(p) === pairKey(position));
    liveEquity = liveEquity.plus(position.quantity.times(pair ? closeAt(pair, pair.to) : position.markPrice));
  }
  const sameCloseOrder = await orderAgainstWatchlist({
    ledger,
    pairRank,
    rank,
    replay: (byRank) =>
      replayAccount({
        accountId: account.id,
        initialBalance: account.initialBalance,
        quoteAsset: account.quoteAsset,
        pairs,
        configs,
        stores,
        plan: planWith([], 0, firstSettings, byRank),
      }),
  });
  const unexplainedCycles = fidelity.findings.filter(
    (f) => f.decisionDiffers && f.cause === undefined,
  ).length;
  const unexplainedFills = path.fills.filter(
    (f) =>
      f.differs.length > 0 &&
      f.cause === undefined &&
      !(f.because && "finding" in f.because && fidelity.findings[f.because.finding]?.cause === undefined),
  ).length;
  return {
    firstSettings,
    fidelity,
    events: path.events,
    backtestEquity: path.backtestEquity,
    replayedEquity: path.replayedEquity,
    liveEquity,
    fills: path.fills,
    notCompared: evidence.trades.filter((t) => !inPeriod(t)),
    unexplainedCycles,
    unexplainedFills,
    ...(sameCloseOrder ? { sameCloseOrder } : {}),
  };
}

/**
 * Where live's order at a close differs from the watchlist's (the portfolio backtest's): live's
 * cycles of one account run at once and commit as they finish. Both orders are replayed without
 * any other event, so the difference is the order's alone.
 */
async function orderAgainstWatchlist(input: {
  ledger: LedgerStates;
  pairRank: (pair: string) => number;
  rank: (pair: string, candleTime: number) => number;
  replay: (rank: (pair: string, candleTime: number) => number) => Promise<{ finalEquity: Decimal }>;
}): Promise<LiveComparison["sameCloseOrder"]> {
  const byClose = new Map<number, string[]>();
  for (const r of input.ledger.records) {
    const close = closeTimeOf(r.candleTime, r.timeframe);
    byClose.set(close, [...(byClose.get(close) ?? []), pairKey(r)]);
  }
  let first: { close: number; live: string[]; backtest: string[] } | undefined;
  let closes = 0;
  for (const [close, live] of byClose) {
    const backtest = [...live].sort((a, b) => input.pairRank(a) - input.pairRank(b));
    if (live.join("|") === backtest.join("|")) continue;
    closes++;
    if (!first || close < first.close) first = { close, live, backtest };
  }
  if (!first) return undefined;
  const [asLive, asWatchlist] = [
    await input.replay(input.rank),
    await input.replay((pair) => input.pairRank(pair)),
  ];
  return { closes, first, effect: asLive.finalEquity.minus(asWatchlist.finalEquity) };
}
