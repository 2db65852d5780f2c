import type { Trade } from "../../domain/account/account.ts";
import { sumMovements } from "../../domain/account/ledger.ts";
import { timeframeMs } from "../../domain/market/timeframe.ts";
import { type Decimal, dec, ZERO } from "../../domain/money/decimal.ts";
import { type Basket, isRebalanceClose } from "../../domain/rebalance/basket.ts";
import { planRebalance } from "../../domain/rebalance/orders.ts";
import type { CycleRecord, StoredTrade } from "../ports/account-repository.ts";

/** What a rebalance's record says it decided on (its result's signal.basis). */
interface RecordedBasis {
  readonly bandPct: string;
  readonly feeRate: string;
  /** Absent: none (and in records written before baskets slipped). */
  readonly slippageBps?: string;
  readonly legs: readonly {
    readonly symbol: string;
    readonly baseAsset: string;
    readonly price: string;
    readonly target: string;
    readonly stepSize: string;
    /** Absent in records written before baskets slipped, when the tick did not matter. */
    readonly tickSize?: string;
    readonly minQty: string;
    readonly minNotional: string;
  }[];
}

export interface RebalanceReplay {
  readonly runs: number;
  readonly equal: number;
  /** Each run whose replayed legs differ from the ledger's, with both. */
  readonly differences: readonly {
    readonly close: string;
    readonly live: string[];
    readonly replayed: string[];
  }[];
  /** Ledger fills of the account no recorded run accounts for. */
  readonly unaccounted: number;
  /** Scheduled times between the first and the last recorded run that no run decided (a run missed for good is not replayed live either). */
  readonly missed: { readonly count: number; readonly closes: readonly string[] };
  /** The close of the last recorded run (ISO), if any. */
  readonly lastRun: string | undefined;
}

/** At most this many missed closes are listed (the count says the rest). */
const MISSED_LISTED = 20;

/** The scheduled closes from the first decided run's to the last's that no decided run covers. */
function missedRuns(basket: Basket, decided: readonly CycleRecord[]): RebalanceReplay["missed"] {
  const interval = timeframeMs(basket.timeframe);
  const closes = new Set(decided.map((r) => r.candleTime + interval));
  const first = decided[0];
  const last = decided.at(-1);
  if (!first || !last) return { count: 0, closes: [] };
  const listed: string[] = [];
  let count = 0;
  for (let close = first.candleTime + interval; close <= last.candleTime + interval; close += interval) {
    if (!isRebalanceClose(basket, close) || closes.has(close)) continue;
    count++;
    if (listed.length < MISSED_LISTED) listed.push(new Date(close).toISOString());
  }
  return { count, closes: listed };
}

/** The records of runs that decided (those with a basis: not a hold at an unscheduled close), oldest first. */
export function decidedRuns(records: readonly CycleRecord[]): CycleRecord[] {
  return [...records]
    .filter((r) => (r.outcome.signal as { basis?: unknown } | undefined)?.basis)
    .sort((a, b) => a.candleTime - b.candleTime);
}

const describe = (t: Trade) =>
  `${t.side} ${t.quantity.toFixed()} ${t.symbol} @ ${t.price.toFixed()} fee ${t.fee.toFixed()}`;

/**
 * `npm run report` for a rebalancing account: every recorded run replayed through the same plan
 * from the balances the account had before it (its starting balance plus the ledger's earlier
 * fills), at the prices, targets, steps, band, fee and slippage it recorded; its legs must equal
 * the ledger's.
 */
export function replayRebalances(input: {
  readonly basket: Basket;
  readonly quoteAsset: string;
  readonly initialBalance: Decimal;
  readonly records: readonly CycleRecord[];
  readonly ledger: readonly StoredTrade[];
}): RebalanceReplay {
  const { basket, quoteAsset, initialBalance } = input;
  const runs = decidedRuns(input.records);
  const ledger = [...input.ledger].sort((a, b) => a.candleTime - b.candleTime || a.sequence - b.sequence);
  const differences: { close: string; live: string[]; replayed: string[] }[] = [];
  let accounted = 0;
  for (const record of runs) {
    const basis = record.outcome.signal?.basis as RecordedBasis;
    const before = ledger.filter((t) => t.candleTime < record.candleTime);
    const balances: Record<string, Decimal> = { [quoteAsset]: initialBalance };
    for (const [asset, delta] of Object.entries(sumMovements(before)))
      balances[asset] = (balances[asset] ?? ZERO).plus(delta);
    const plan = planRebalance({
      basket: {
        ...basket,
        bandPct: dec(basis.bandPct),
        feeRate: dec(basis.feeRate),
        slippageBps: dec(basis.slippageBps ?? "0"),
      },
      balances,
      quoteAsset,
      legs: basis.legs.map((l) => ({
        symbol: l.symbol,
        price: dec(l.price),
        steps: {
          baseAsset: l.baseAsset,
          quoteAsset,
          tickSize: dec(l.tickSize ?? "0.00000001"),
          stepSize: dec(l.stepSize),
          minQty: dec(l.minQty),
          minNotional: dec(l.minNotional),
        },
      })),
      targets: new Map(basis.legs.map((l) => [l.symbol, dec(l.target)])),
      candleTime: record.candleTime,
    });
    const live = ledger.filter((t) => t.candleTime === record.candleTime && t.reason === "rebalance");
    accounted += live.length;
    const [a, b] = [live.map(describe), plan.trades.map(describe)];
    if (a.join("\n") !== b.join("\n"))
      differences.push({ close: String(record.outcome.signal?.close), live: a, replayed: b });
  }
  const last = runs.at(-1);
  return {
    runs: runs.length,
    equal: runs.length - differences.length,
    differences,
    unaccounted: ledger.length - accounted,
    missed: missedRuns(basket, runs),
    lastRun: last ? new Date(last.candleTime + timeframeMs(basket.timeframe)).toISOString() : undefined,
  };
}
