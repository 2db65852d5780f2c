import { type Decimal, ZERO } from "../../domain/money/decimal.ts";
import type { Basket } from "../../domain/rebalance/basket.ts";
import type { LegQuote, RebalancePlan } from "../../domain/rebalance/orders.ts";
import { fillView } from "../cycle/index.ts";
import { weightPercent } from "../format.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";

const iso = (t: number) => new Date(t).toISOString();

/** The rebalance as the handler returns it: the plan's weights and drift as its signal, the legs filled. */
export function resultOf(
  base: CycleResult,
  plan: RebalancePlan,
  cashAfter: Decimal,
  close: number,
  legs: readonly LegQuote[],
  targets: ReadonlyMap<string, Decimal>,
  { bandPct, feeRate, slippageBps }: Basket,
): CycleResult {
  const traded = plan.trades.length > 0;
  const equityAfter = plan.trades.reduce((e, t) => e.minus(t.fee), plan.equity);
  return {
    ...base,
    signal: {
      action: traded ? "REBALANCE" : "HOLD",
      reason: plan.due
        ? traded
          ? `largest drift ${plan.driftPct.round(2, "halfUp").toFixed(2)} points: ${plan.trades.length} leg(s)`
          : "due, but every leg is below the exchange's minimum"
        : `largest drift ${plan.driftPct.round(2, "halfUp").toFixed(2)} points, within the band`,
      close: iso(close),
      equityBefore: plan.equity.toFixed(),
      prices: Object.fromEntries(legs.map((l) => [l.symbol, l.price.toFixed()])),
      // What it decided on, exactly, so that npm run report can replay the decision from the record.
      basis: {
        bandPct: bandPct.toFixed(),
        feeRate: feeRate.toFixed(),
        ...(slippageBps.eq(0) ? {} : { slippageBps: slippageBps.toFixed() }),
        legs: legs.map((l) => ({
          symbol: l.symbol,
          baseAsset: l.steps.baseAsset,
          price: l.price.toFixed(),
          target: (targets.get(l.symbol) ?? ZERO).toFixed(),
          stepSize: l.steps.stepSize.toFixed(),
          tickSize: l.steps.tickSize.toFixed(),
          minQty: l.steps.minQty.toFixed(),
          minNotional: l.steps.minNotional.toFixed(),
        })),
      },
      driftPct: plan.driftPct.round(4, "halfUp").toFixed(),
      weights: plan.weights.map((w) => ({
        symbol: w.symbol,
        current: weightPercent(w.current),
        target: weightPercent(w.target),
      })),
    },
    legs: plan.trades.map((t) => ({ symbol: t.symbol, ...fillView(t) })),
    ...(plan.skipped.length
      ? { skippedLegs: plan.skipped.map((s) => `${s.side} ${s.symbol}: ${s.why}`) }
      : {}),
    account: { usdtFree: cashAfter.toFixed(), equity: equityAfter.toFixed() },
  };
}
