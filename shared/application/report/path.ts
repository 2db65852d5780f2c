import { closeTimeOf, type Timeframe } from "../../domain/market/timeframe.ts";
import type { Decimal } from "../../domain/money/decimal.ts";
import type { StoredTrade } from "../ports/account-repository.ts";
import type { CycleSettings } from "../ports/cycle-record.ts";
import type { ReplayStores } from "../ports/replay-stores.ts";
import { pairKey, type ReplayOutcome, type ReplayPair, replayAccount } from "./account-replay.ts";
import type { Finding } from "./fidelity.ts";
import { fillText } from "./ledger-state.ts";
import { type PathEvent, type PathEventWithEffect, planWith } from "./path-events.ts";
import type { ReplayConfigs } from "./replay-config.ts";

/** One fill of live or of the uninterrupted backtest, paired by pair, candle, side and reason. */
export interface FillRow {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Open time of its candle (the fill is at that candle's close). */
  readonly candleTime: number;
  readonly side: "BUY" | "SELL";
  readonly reason: string;
  readonly live: StoredTrade | undefined;
  readonly backtest: StoredTrade | undefined;
  /** Empty when equal; else "only live", "only backtest", or "price", "quantity", "fee". */
  readonly differs: readonly string[];
  /** Why it differs: the event (index into `events`) or the fidelity finding (index into the findings) that proves it. */
  readonly because?: { readonly event: number } | { readonly finding: number };
  /** For a difference: what proves it, for people; undefined: UNEXPLAINED. */
  readonly cause?: string;
}

export interface PathResult {
  readonly events: readonly PathEventWithEffect[];
  /** Final equity of the uninterrupted backtest with the first settings. */
  readonly backtestEquity: Decimal;
  /** Final equity of the replay with every event in force: what live should hold when every cycle decided as recorded. */
  readonly replayedEquity: Decimal;
  readonly fills: readonly FillRow[];
}

function keyed(trades: readonly StoredTrade[]): Map<string, StoredTrade> {
  const map = new Map<string, StoredTrade>();
  const seen = new Map<string, number>();
  for (const t of trades) {
    const base = `${pairKey(t)}|${t.candleTime}|${t.side}|${t.reason}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    map.set(`${base}|${n}`, t);
  }
  return map;
}

const same = (a: StoredTrade | undefined, b: StoredTrade | undefined) =>
  a === undefined ? b === undefined : b !== undefined && fillText(a) === fillText(b);

function differences(live: StoredTrade | undefined, backtest: StoredTrade | undefined): string[] {
  if (!live) return backtest ? ["only backtest"] : [];
  if (!backtest) return ["only live"];
  return [
    ...(live.price.eq(backtest.price) ? [] : ["price"]),
    ...(live.quantity.eq(backtest.quantity) ? [] : ["quantity"]),
    ...(live.fee.eq(backtest.fee) ? [] : ["fee"]),
  ];
}

/**
 * The account against the uninterrupted backtest with each pair's first settings. The replay is
 * run again with the events put in force one at a time, oldest first (B0 … Bn), so that each
 * event's effect on the final equity is the difference it alone makes, and a fill that differs
 * from B0 is that event's when every replay from it on agrees with live (nothing else changed
 * between the two replays). A fill on which even Bn disagrees with live comes from a cycle that
 * did not decide as recorded: it is put to the fidelity findings at or before it, explained only
 * when every one of those is.
 */
export async function comparePath(input: {
  readonly accountId: string;
  readonly initialBalance: Decimal;
  readonly quoteAsset: string;
  readonly pairs: readonly ReplayPair[];
  readonly configs: ReplayConfigs;
  readonly stores: ReplayStores;
  readonly events: readonly PathEvent[];
  readonly firstSettings: ReadonlyMap<string, CycleSettings>;
  readonly rank: (pair: string, candleTime: number) => number;
  readonly live: readonly StoredTrade[];
  readonly findings: readonly Finding[];
  /** Open time of the candle whose live cycle wrote a fill. */
  readonly writtenAt: (t: StoredTrade) => number;
}): Promise<PathResult> {
  const { events, findings } = input;
  const replays: ReplayOutcome[] = [];
  for (let k = 0; k <= events.length; k++) {
    replays.push(
      await replayAccount({
        ...input,
        plan: planWith(events, k, input.firstSettings, input.rank),
      }),
    );
  }
  const withEffects = events.map((e, i) => ({
    ...e,
    effect: (replays[i + 1] as ReplayOutcome).finalEquity.minus((replays[i] as ReplayOutcome).finalEquity),
  }));
  const live = keyed(input.live);
  const keyedReplays = replays.map((r) => keyed(r.trades));
  const b0 = keyedReplays[0] as Map<string, StoredTrade>;
  const relevant = findings
    .map((f, index) => ({ f, index, close: closeTimeOf(f.candleTime, f.timeframe as Timeframe) }))
    .filter(({ f }) => f.decisionDiffers);
  const rows: FillRow[] = [];
  for (const key of new Set([...live.keys(), ...b0.keys()])) {
    const l = live.get(key);
    const b = b0.get(key);
    const any = (l ?? b) as StoredTrade;
    const base = {
      symbol: any.symbol,
      timeframe: any.timeframe,
      candleTime: any.candleTime,
      side: any.side,
      reason: any.reason,
      live: l,
      backtest: b,
    };
    const differs = differences(l, b);
    if (differs.length === 0) {
      rows.push({ ...base, differs });
      continue;
    }
    let first = keyedReplays.length;
    while (first > 1 && same(l, keyedReplays[first - 1]?.get(key))) first--;
    if (first < keyedReplays.length) {
      const event = withEffects[first - 1] as PathEventWithEffect;
      rows.push({ ...base, differs, because: { event: first - 1 }, cause: eventName(event) });
      continue;
    }
    const cycleTime = l ? input.writtenAt(l) : any.candleTime;
    const close = closeTimeOf(cycleTime, any.timeframe);
    const before = relevant.filter((r) => r.close <= close);
    const own = before.find((r) => pairKey(r.f) === pairKey(any) && r.f.candleTime === cycleTime);
    const unexplained = before.find((r) => r.f.cause === undefined);
    const chosen = unexplained ?? own ?? before[0];
    rows.push({
      ...base,
      differs,
      ...(chosen ? { because: { finding: chosen.index } } : {}),
      ...(chosen && !unexplained
        ? { cause: own ? (own.f.cause as string) : `follows from: ${chosen.f.cause}` }
        : {}),
    });
  }
  rows.sort(
    (a, b) =>
      closeTimeOf(a.candleTime, a.timeframe) - closeTimeOf(b.candleTime, b.timeframe) ||
      input.rank(pairKey(a), a.candleTime) - input.rank(pairKey(b), b.candleTime) ||
      ((a.live ?? a.backtest)?.sequence ?? 0) - ((b.live ?? b.backtest)?.sequence ?? 0),
  );
  return {
    events: withEffects,
    backtestEquity: (replays[0] as ReplayOutcome).finalEquity,
    replayedEquity: (replays.at(-1) as ReplayOutcome).finalEquity,
    fills: rows,
  };
}

/** An event as a cause: what, where, and when (candle closes, UTC). */
function eventName(e: PathEvent): string {
  return `${e.what}, ${e.symbol} ${e.timeframe}`;
}
