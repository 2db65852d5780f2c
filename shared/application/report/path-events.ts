import { timeframeMs } from "../../domain/market/timeframe.ts";
import type { Decimal } from "../../domain/money/decimal.ts";
import { settingsChanges } from "../cycle/index.ts";
import type { CycleNote, CycleRecord } from "../ports/account-repository.ts";
import type { CycleSettings } from "../ports/cycle-record.ts";
import { pairKey, type ReplayPair, type ReplayPlan } from "./account-replay.ts";

/** Something that made the account's path leave the uninterrupted backtest: a cycle that did not run as scheduled, or a change of settings. */
export interface PathEvent {
  readonly kind: "missed" | "failed" | "refused" | "settings";
  readonly symbol: string;
  readonly timeframe: ReplayPair["timeframe"];
  /** Open times of the first and last candle concerned (settings: from the first cycle that ran with them). */
  readonly from: number;
  readonly to: number;
  /** Cycles concerned (missed, failed, refused). */
  readonly cycles: number;
  /** What it was, for people: "missed cycles", "cycle failed (its failure alert went out)", "settings changed (…)". */
  readonly what: string;
  /** The settings in force from `from` on (settings events). */
  readonly settings?: CycleSettings;
}

export interface PathEventWithEffect extends PathEvent {
  /** Its effect on the final equity: the replay with it less the replay without it (quote asset). */
  readonly effect: Decimal;
}

const refusedWhy = (reason: string | undefined) =>
  reason === "StaleCycleError"
    ? "stale: a later candle was committed first"
    : reason === "LateEventError"
      ? "late: the event came too long after the close"
      : (reason ?? "refused");

/**
 * The events of each pair over its recorded period, oldest first: candles with no live cycle
 * record and no fill (grouped into ranges by what the notes say: failed, refused, or missed), and
 * every record whose settings differ from the pair's previous ones. A candle with ledger fills but
 * no record is not an event: a cycle ran there (the fidelity check names it).
 */
export function pathEvents(input: {
  readonly pairs: readonly ReplayPair[];
  readonly records: ReadonlyMap<string, ReadonlyMap<number, CycleRecord>>;
  readonly notes: readonly CycleNote[];
  readonly filledCandles: ReadonlySet<string>;
  readonly rank: (pair: string) => number;
}): PathEvent[] {
  const events: PathEvent[] = [];
  for (const pair of input.pairs) {
    const key = pairKey(pair);
    const byTime = input.records.get(key) ?? new Map<number, CycleRecord>();
    const interval = timeframeMs(pair.timeframe);
    let open: { kind: PathEvent["kind"]; what: string; from: number; to: number; cycles: number } | undefined;
    const flush = () => {
      if (open) events.push({ symbol: pair.symbol, timeframe: pair.timeframe, ...open });
      open = undefined;
    };
    let settings: CycleSettings | undefined;
    for (let t = pair.from; t <= pair.to; t += interval) {
      const record = byTime.get(t);
      if (record || input.filledCandles.has(`${key}|${t}`)) {
        flush();
        if (record?.settings) {
          const changes = settings ? settingsChanges(settings, record.settings) : [];
          if (changes.length > 0)
            events.push({
              kind: "settings",
              symbol: pair.symbol,
              timeframe: pair.timeframe,
              from: t,
              to: t,
              cycles: 0,
              what: `settings changed (${changes.join("; ")})`,
              settings: record.settings,
            });
          settings = record.settings;
        }
        continue;
      }
      const notes = input.notes.filter((n) => pairKey(n) === key && n.candleTime === t);
      const refused = notes.find((n) => n.kind === "refused");
      const [kind, what] = notes.some((n) => n.kind === "failed")
        ? (["failed", "cycle failed (its failure alert went out; no retry committed it)"] as const)
        : refused
          ? (["refused", `cycle refused (${refusedWhy(refused.reason)})`] as const)
          : (["missed", "missed cycle (none ran: the runner was stopped or the event never came)"] as const);
      if (open && open.kind === kind && open.what === what) {
        open.to = t;
        open.cycles++;
      } else {
        flush();
        open = { kind, what, from: t, to: t, cycles: 1 };
      }
    }
    flush();
  }
  return events.sort((a, b) => a.from - b.from || input.rank(pairKey(a)) - input.rank(pairKey(b)));
}

/** The replay with the first `applied` events in force: their skips and settings; the first settings otherwise. */
export function planWith(
  events: readonly PathEvent[],
  applied: number,
  firstSettings: ReadonlyMap<string, CycleSettings>,
  rank: (pair: string, candleTime: number) => number,
): ReplayPlan {
  const inForce = events.slice(0, applied);
  const skipped = new Map<string, { from: number; to: number }[]>();
  const changes = new Map<string, PathEvent[]>();
  for (const e of inForce) {
    const key = pairKey(e);
    if (e.kind === "settings") changes.set(key, [...(changes.get(key) ?? []), e]);
    else skipped.set(key, [...(skipped.get(key) ?? []), { from: e.from, to: e.to }]);
  }
  return {
    settingsAt(pair, candleTime) {
      let found = firstSettings.get(pair) as CycleSettings;
      for (const e of changes.get(pair) ?? []) if (e.from <= candleTime && e.settings) found = e.settings;
      return found;
    },
    skips: (pair, candleTime) =>
      (skipped.get(pair) ?? []).some((r) => candleTime >= r.from && candleTime <= r.to),
    rank,
  };
}
