import { sumMovements } from "../../domain/account/ledger.ts";
import { closeTimeOf, timeframeMs } from "../../domain/market/timeframe.ts";
import { type Decimal, dec, ZERO } from "../../domain/money/decimal.ts";
import { type Basket, REBALANCE_PAIR } from "../../domain/rebalance/basket.ts";
import { planRebalance } from "../../domain/rebalance/orders.ts";
import { targetWeights } from "../../domain/rebalance/weights.ts";
import { allPages } from "../all-pages.ts";
import type { PortfolioPair } from "../backtest/run-portfolio.ts";
import { marketSteps } from "../cycle/index.ts";
import type { StoredTrade } from "../ports/account-repository.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";
import { silentLogger } from "../ports/logger.ts";
import { noMetrics } from "../ports/metrics.ts";
import type { ReplayStores } from "../ports/replay-stores.ts";
import { Rebalancer } from "./rebalancer.ts";

export interface RebalanceBacktestInput {
  readonly basket: Basket;
  readonly quoteAsset: string;
  /** Each leg's candles (of the basket's timeframe) and filters. */
  readonly pairs: readonly PortfolioPair[];
  /** Open times of the first and last candle whose close is replayed. */
  readonly from: number;
  readonly to: number;
  readonly stores: ReplayStores;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RebalanceBacktest {
  /** Every replayed close's result (rebalances, holds within the band, unscheduled closes). */
  readonly results: readonly CycleResult[];
  readonly fills: readonly StoredTrade[];
  /** The account's equity at every close, cash plus the legs at their closes. */
  readonly marks: readonly { readonly close: number; readonly equity: Decimal }[];
  /** The same basket bought at the first close at its targets, then held; and equal weights held. */
  readonly buyAndHold: readonly Decimal[];
  readonly equalWeight: readonly Decimal[];
}

/**
 * Replays a rebalancing account through the very rebalance the Lambda runs: at every close of its
 * timeframe from `from` to `to`, on one in-memory account; a failed rebalance stops the replay,
 * naming it (live, it would wait and alert).
 */
export async function runRebalance(input: RebalanceBacktestInput): Promise<RebalanceBacktest> {
  const { basket, quoteAsset, pairs, from, to } = input;
  const interval = timeframeMs(basket.timeframe);
  const account = input.stores.newAccount();
  const market = input.stores.newMarket(pairs);
  let clock = 0;
  const rebalancer = new Rebalancer({
    market,
    repository: account.repository,
    outbox: account.outbox,
    alerts: { publish: async () => {} },
    logger: silentLogger,
    metrics: noMetrics,
    now: () => clock,
    baskets: [basket],
    quoteAsset,
    maxEventDelayMs: 0,
  });
  const closeAt = new Map(
    pairs.map((p) => [p.symbol, new Map(p.candles.map((c) => [c.openTime, dec(c.close)]))]),
  );
  const priceAt = (symbol: string, open: number) => closeAt.get(symbol)?.get(open) ?? ZERO;
  const baseOf = new Map(pairs.map((p) => [p.symbol, p.filters.baseAsset]));
  /** Cash plus every leg at the close of the candle opening at `open`. */
  const equityAt = (balances: Readonly<Record<string, Decimal>>, open: number) =>
    basket.symbols.reduce(
      (sum, s) => sum.plus((balances[baseOf.get(s) ?? ""] ?? ZERO).times(priceAt(s, open))),
      balances[quoteAsset] ?? ZERO,
    );
  const results: CycleResult[] = [];
  const marks: { close: number; equity: Decimal }[] = [];
  const total = Math.floor((to - from) / interval) + 1;
  for (let open = from, done = 0; open <= to; open += interval, done++) {
    const close = closeTimeOf(open, basket.timeframe);
    clock = close;
    const result = await rebalancer.run({ accountId: basket.accountId, scheduledTime: close, dryRun: false });
    if (result.status !== "ok")
      throw new Error(
        `the rebalance at ${new Date(close).toISOString()} ${result.status}: ${result.error?.type}: ${result.error?.message}`,
      );
    results.push(result);
    const state = await account.history.loadState(basket.accountId);
    const balances = state?.account.balances ?? { [quoteAsset]: basket.initialBalance };
    marks.push({ close, equity: equityAt(balances, open) });
    input.onProgress?.(done + 1, total);
  }
  const fills = await allPages((cursor) =>
    account.history.listTrades(basket.accountId, { limit: 1000, ...(cursor ? { cursor } : {}) }),
  );
  const held = (weighting: "targets" | "equal") =>
    holdFrom({ ...input, interval }, weighting, priceAt, equityAt);
  return {
    results,
    // In the order decided: close by close, each close's legs by sequence (sells first).
    fills: fills
      .filter((t) => t.symbol !== REBALANCE_PAIR)
      .sort((a, b) => a.candleTime - b.candleTime || a.sequence - b.sequence),
    marks,
    buyAndHold: held("targets"),
    equalWeight: held("equal"),
  };
}

/** Equity at every close of a basket bought once at the first close (its targets, or equal weights) and held. */
function holdFrom(
  input: RebalanceBacktestInput & { interval: number },
  weighting: "targets" | "equal",
  priceAt: (symbol: string, open: number) => Decimal,
  equityAt: (balances: Readonly<Record<string, Decimal>>, open: number) => Decimal,
): Decimal[] {
  const { basket, quoteAsset, pairs, from, to, interval } = input;
  const closes = new Map(
    pairs.map((p) => [p.symbol, p.candles.filter((c) => c.openTime <= from).map((c) => c.close)]),
  );
  const equal = { ...basket, weighting: "equal" as const, cashPct: ZERO, bandPct: ZERO };
  const targets = targetWeights(weighting === "equal" ? equal : { ...basket, bandPct: ZERO }, closes);
  const plan = planRebalance({
    basket: { ...basket, bandPct: ZERO },
    balances: { [quoteAsset]: basket.initialBalance },
    quoteAsset,
    legs: pairs.map((p) => ({
      symbol: p.symbol,
      price: priceAt(p.symbol, from),
      steps: marketSteps(p.filters),
    })),
    targets,
    candleTime: from,
  });
  const moved = sumMovements(plan.trades);
  const balances = { ...moved, [quoteAsset]: basket.initialBalance.plus(moved[quoteAsset] ?? ZERO) };
  const equity: Decimal[] = [];
  for (let open = from; open <= to; open += interval) equity.push(equityAt(balances, open));
  return equity;
}
