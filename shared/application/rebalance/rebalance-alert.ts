import type { Trade } from "../../domain/account/account.ts";
import { REBALANCE_PAIR } from "../../domain/rebalance/basket.ts";
import type { RebalancePlan } from "../../domain/rebalance/orders.ts";
import { alertId } from "../alerts/alert-messages.ts";
import { money, utcTime, weightPercent } from "../format.ts";
import type { Alert } from "../ports/alerts.ts";

const leg = (t: Trade) =>
  `${t.side} ${t.quantity.toFixed()} ${t.baseAsset} at ${t.price.toFixed()} (${t.symbol}): ${money(t.quoteAmount)} ${t.quoteAsset}, fee ${t.fee.toFixed()}`;

/** One alert per rebalance that traded: every leg, the weights before and their targets, what was skipped. */
export function rebalanceAlert(input: {
  readonly accountId: string;
  readonly timeframe: string;
  readonly candleTime: number;
  readonly closedAt: number;
  readonly quoteAsset: string;
  readonly plan: RebalancePlan;
}): Alert {
  const { accountId, timeframe, candleTime, closedAt, quoteAsset, plan } = input;
  return {
    id: alertId(accountId, REBALANCE_PAIR, timeframe, candleTime, "rebalance"),
    subject: `REBALANCE ${accountId}: ${plan.trades.length} leg(s) (paper)`,
    message: [
      `Paper rebalance of account ${accountId} at the ${timeframe} close of ${utcTime(closedAt)}.`,
      `Equity before: ${money(plan.equity)} ${quoteAsset}; largest drift ${plan.driftPct.round(2, "halfUp").toFixed(2)} points.`,
      "Legs (sells first):",
      ...plan.trades.map((t) => `  ${leg(t)}`),
      ...(plan.skipped.length
        ? ["Skipped:", ...plan.skipped.map((s) => `  ${s.side} ${s.symbol}: ${s.why}`)]
        : []),
      "Weights before → target:",
      ...plan.weights.map(
        (w) => `  ${w.symbol} ${weightPercent(w.current)} % → ${weightPercent(w.target)} %`,
      ),
    ].join("\n"),
    attributes: { event: "rebalance", symbol: REBALANCE_PAIR, timeframe, action: "REBALANCE" },
  };
}
