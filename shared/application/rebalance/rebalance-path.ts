import { timeframeMs } from "../../domain/market/timeframe.ts";
import { type Decimal, ZERO } from "../../domain/money/decimal.ts";
import type { Basket } from "../../domain/rebalance/basket.ts";
import type { PortfolioPair } from "../backtest/run-portfolio.ts";
import type { CycleRecord } from "../ports/account-repository.ts";
import type { ReplayStores } from "../ports/replay-stores.ts";
import { decidedRuns } from "./replay-rebalances.ts";
import { runRebalance } from "./run-rebalance.ts";

/** The account against the uninterrupted backtest of its basket over the same closes. */
export interface RebalancePath {
  /** Closes (epoch ms) of the first and the last recorded run: the backtest's span. */
  readonly from: number;
  readonly to: number;
  /** Both valued at the candles' closes of the last run, exact decimal strings. */
  readonly liveEquity: string;
  readonly backtestEquity: string;
  /** live − backtest. */
  readonly difference: string;
  /** Recorded runs whose legs the backtest decided otherwise (they traded from other balances, or on other candles, settings or filters). */
  readonly differentRuns: number;
  /** The first of them (close, epoch ms). */
  readonly firstDifferent: number | undefined;
  /** Scheduled closes the backtest traded at that no recorded run decided. */
  readonly tradedWhereMissed: number;
}

const legsOf = (result: {
  legs?: readonly { side: string; symbol: string; quantity: string; price: string }[];
}) => (result.legs ?? []).map((l) => `${l.side} ${l.quantity} ${l.symbol} @ ${l.price}`).join("; ");

/**
 * The path check of `npm run report` for a rebalancing account: the basket replayed without a gap
 * from its first recorded run to its last, through the same rebalance, from the account's starting
 * balance, on the candles given (Binance's now); its equity against the account's at the last
 * run's closes, with the runs it decided otherwise and the missed times it traded at.
 */
export async function rebalancePath(input: {
  readonly basket: Basket;
  readonly quoteAsset: string;
  readonly pairs: readonly PortfolioPair[];
  /** The account's rebalance records (those that decided are compared). */
  readonly records: readonly CycleRecord[];
  /** The account's balances now. */
  readonly balances: Readonly<Record<string, Decimal>>;
  readonly stores: ReplayStores;
}): Promise<RebalancePath | undefined> {
  const { basket, quoteAsset, pairs } = input;
  const runs = decidedRuns(input.records);
  const first = runs[0];
  const last = runs.at(-1);
  if (!first || !last) return undefined;
  const run = await runRebalance({
    basket,
    quoteAsset,
    pairs,
    from: first.candleTime,
    to: last.candleTime,
    stores: input.stores,
  });
  const interval = timeframeMs(basket.timeframe);
  const decided = new Map(runs.map((r) => [r.candleTime + interval, r]));
  let differentRuns = 0;
  let firstDifferent: number | undefined;
  let tradedWhereMissed = 0;
  for (const result of run.results) {
    const close = Date.parse(String(result.signal?.close));
    const live = decided.get(close);
    if (!live) {
      if (result.legs?.length) tradedWhereMissed++;
      continue;
    }
    if (legsOf(live.outcome) === legsOf(result)) continue;
    differentRuns++;
    firstDifferent ??= close;
  }
  const closeOf = new Map(
    pairs.map((p) => [p.filters.baseAsset, p.candles.find((c) => c.openTime === last.candleTime)?.close]),
  );
  const liveEquity = Object.entries(input.balances).reduce(
    (sum, [asset, held]) =>
      asset === quoteAsset ? sum.plus(held) : sum.plus(held.times(String(closeOf.get(asset) ?? 0))),
    ZERO,
  );
  const backtestEquity = run.marks.at(-1)?.equity ?? basket.initialBalance;
  return {
    from: first.candleTime + interval,
    to: last.candleTime + interval,
    liveEquity: liveEquity.toFixed(),
    backtestEquity: backtestEquity.toFixed(),
    difference: liveEquity.minus(backtestEquity).toFixed(),
    differentRuns,
    firstDifferent,
    tradedWhereMissed,
  };
}
