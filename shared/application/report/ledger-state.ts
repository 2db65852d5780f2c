import type { Account, Position } from "../../domain/account/account.ts";
import { balanceMovements } from "../../domain/account/ledger.ts";
import { closeTimeOf } from "../../domain/market/timeframe.ts";
import { type Decimal, dec, ZERO } from "../../domain/money/decimal.ts";
import type { AccountState, CycleRecord, StoredTrade } from "../ports/account-repository.ts";
import type { RiskStateJson } from "../ports/cycle-record.ts";
import { positionFromJson, riskStateFromJson } from "../state-json.ts";
import { pairKey } from "./account-replay.ts";

const cycleKey = (r: { symbol: string; timeframe: string; candleTime: number }) =>
  `${r.symbol} ${r.timeframe}|${r.candleTime}`;

/** A fill as one comparable line: side, reason, price, quantity, fee (exact). */
export const fillText = (f: {
  side: string;
  reason: string;
  price: Decimal | string;
  quantity: Decimal | string;
  fee: Decimal | string;
}) =>
  `${f.side} ${f.reason} ${dec(f.quantity).toFixed()} @ ${dec(f.price).toFixed()} fee ${dec(f.fee).toFixed()}`;

/**
 * The account as the ledger rebuilds it before each recorded live cycle: the records in the order
 * they were committed (by the account version each decided on, then the time recorded, then the
 * pairs' order), the cash as the initial balance plus every fill committed before, each pair's
 * position as its latest earlier record left it.
 */
export class LedgerStates {
  readonly #records: CycleRecord[];
  readonly #fills = new Map<string, StoredTrade[]>();
  readonly #writer = new Map<StoredTrade, number>();
  readonly #orphans: StoredTrade[] = [];
  readonly #index = new Map<CycleRecord, number>();
  readonly #initialBalance: Decimal;
  readonly #quoteAsset: string;

  constructor(input: {
    records: readonly CycleRecord[];
    trades: readonly StoredTrade[];
    initialBalance: Decimal;
    quoteAsset: string;
    rank: (pair: string) => number;
  }) {
    this.#initialBalance = input.initialBalance;
    this.#quoteAsset = input.quoteAsset;
    const version = (r: CycleRecord) => r.basis?.accountVersion ?? -1;
    this.#records = [...input.records].sort(
      (a, b) =>
        version(a) - version(b) ||
        a.recordedAt.localeCompare(b.recordedAt) ||
        closeTimeOf(a.candleTime, a.timeframe) - closeTimeOf(b.candleTime, b.timeframe) ||
        input.rank(pairKey(a)) - input.rank(pairKey(b)),
    );
    this.#records.forEach((r, i) => {
      this.#index.set(r, i);
    });
    // A fill belongs to the cycle whose result lists it: a stop caught up after a gap is a fill of
    // an earlier candle, written by the first cycle that ran again.
    const claims = new Map<string, string>();
    for (const r of this.#records) {
      const { exits, entry } = r.outcome;
      [...(exits ?? []), ...(entry ? [entry] : [])].forEach((f, i) => {
        claims.set(`${pairKey(r)}|${Date.parse(f.candle)}|${i}`, cycleKey(r));
      });
    }
    for (const t of input.trades) {
      const key = claims.get(`${pairKey(t)}|${t.candleTime}|${t.sequence}`);
      if (!key) {
        this.#orphans.push(t);
        continue;
      }
      const list = this.#fills.get(key) ?? [];
      list.push(t);
      this.#fills.set(key, list);
      this.#writer.set(t, Number(key.split("|")[1]));
    }
    for (const list of this.#fills.values()) list.sort((a, b) => a.sequence - b.sequence);
  }

  /** The records in commit order. */
  get records(): readonly CycleRecord[] {
    return this.#records;
  }

  /** The ledger's fills of a cycle, in order. */
  fillsOf(r: { symbol: string; timeframe: string; candleTime: number }): readonly StoredTrade[] {
    return this.#fills.get(cycleKey(r)) ?? [];
  }

  /** Open time of the candle whose cycle wrote a fill (a stop caught up after a gap: a later one than the fill's). */
  writtenAt(t: StoredTrade): number {
    return this.#writer.get(t) ?? t.candleTime;
  }

  /** Fills of the ledger whose cycle left no record. */
  get orphans(): readonly StoredTrade[] {
    return this.#orphans;
  }

  /** The position of commit-order rank `rank` among records (live's order at a close). */
  rankOf(record: CycleRecord): number {
    return this.#index.get(record) ?? 0;
  }

  /**
   * The quote the ledger holds before `record`: the initial balance plus every fill committed
   * before it (of records decided on a lower account version; without versions, earlier in commit
   * order) and every fill without a record whose candle closed earlier.
   */
  cashBefore(record: CycleRecord): Decimal {
    this.#prepare();
    const i = this.rankOf(record);
    const version = record.basis?.accountVersion;
    let upTo = i;
    if (version !== undefined) {
      // Records are sorted by version first: those below it are a prefix.
      let lo = 0;
      let hi = this.#records.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((this.#records[mid]?.basis?.accountVersion ?? -1) < version) lo = mid + 1;
        else hi = mid;
      }
      upTo = lo;
    }
    let cash = this.#initialBalance.plus(this.#prefix[upTo] as Decimal);
    if (upTo > i) cash = cash.minus(this.#moved(record));
    const close = closeTimeOf(record.candleTime, record.timeframe);
    for (const t of this.#orphans)
      if (closeTimeOf(t.candleTime, t.timeframe) < close) cash = cash.plus(this.#quoteOf(t));
    return cash;
  }

  #prefix: Decimal[] = [];
  #latest: Map<string, CycleRecord>[] = [];
  /** What the protections remembered after the latest earlier record that kept it. */
  #risk: (RiskStateJson | undefined)[] = [];

  #quoteOf(t: StoredTrade): Decimal {
    return balanceMovements(t)[this.#quoteAsset] ?? ZERO;
  }

  #moved(r: CycleRecord): Decimal {
    return this.fillsOf(r).reduce((sum, t) => sum.plus(this.#quoteOf(t)), ZERO);
  }

  /** Once: the quote moved by the records before each rank, and each pair's latest record before it. */
  #prepare(): void {
    if (this.#prefix.length > 0) return;
    let sum = ZERO;
    let latest = new Map<string, CycleRecord>();
    let risk: RiskStateJson | undefined;
    for (const r of this.#records) {
      this.#prefix.push(sum);
      this.#latest.push(latest);
      this.#risk.push(risk);
      sum = sum.plus(this.#moved(r));
      latest = new Map(latest).set(pairKey(r), r);
      risk = r.basis?.riskAfter ?? risk;
    }
    this.#prefix.push(sum);
    this.#latest.push(latest);
    this.#risk.push(risk);
  }

  /**
   * The state the cycle of `record` should have read, or why it cannot be rebuilt (a record
   * written before cycles recorded their basis, whose position is unknown).
   */
  stateBefore(record: CycleRecord): AccountState | string {
    this.#prepare();
    const latest = this.#latest[this.rankOf(record)] as Map<string, CycleRecord>;
    const own = pairKey(record);
    if (!latest.has(own)) {
      const held = this.#orphans
        .filter((t) => pairKey(t) === own && t.candleTime < record.candleTime)
        .reduce((q, t) => (t.side === "BUY" ? q.plus(t.quantity) : q.minus(t.quantity)), ZERO);
      if (!held.eq(0)) return `the ledger holds ${own} fills before its first record`;
    }
    const positions: Position[] = [];
    const close = closeTimeOf(record.candleTime, record.timeframe);
    for (const [key, r] of latest) {
      if (!r.basis)
        return `the record of ${key} at ${new Date(r.candleTime).toISOString()} holds no basis (written by an older version)`;
      // A person's /forceexit after that record (and before this cycle's close) sold the position.
      const forced = this.#orphans.some(
        (t) =>
          t.reason === "forced-exit" &&
          pairKey(t) === key &&
          t.candleTime >= r.candleTime &&
          closeTimeOf(t.candleTime, t.timeframe) < close,
      );
      if (r.basis.positionAfter && !forced) positions.push(positionFromJson(r.basis.positionAfter));
    }
    const account: Account = {
      id: record.accountId,
      quoteAsset: this.#quoteAsset,
      initialBalance: this.#initialBalance,
      balances: { [this.#quoteAsset]: this.cashBefore(record) },
      createdAt: new Date(0).toISOString(),
      version: record.basis?.accountVersion ?? 0,
      // The pause the cycle read: its replay refuses the same entry.
      ...(record.basis?.paused ? { paused: record.basis.paused } : {}),
    };
    const risk = this.#risk[this.rankOf(record)];
    if (!risk) return { account, positions };
    return { account: { ...account, risk: riskStateFromJson(risk, "a cycle record's basis") }, positions };
  }
}
