import type { Position, Trade } from "../../domain/account/account.ts";
import type { Candle } from "../../domain/market/candle.ts";
import { type Timeframe, timeframeMs } from "../../domain/market/timeframe.ts";
import { iso } from "../../domain/market/utc.ts";
import type { StrategySignal } from "../../domain/strategies/strategy.ts";
import type { CycleDecision } from "../../domain/trading/decide-cycle.ts";
import type { Lock } from "../../domain/trading/risk-state.ts";
import type { CycleResult, FillView, PositionView, ProtectionView } from "../ports/cycle-outcome.ts";

export function fillView(trade: Trade): FillView {
  return {
    side: trade.side,
    quantity: trade.quantity.toFixed(),
    price: trade.price.toFixed(),
    quoteAmount: trade.quoteAmount.toFixed(),
    fee: trade.fee.toFixed(),
    reason: trade.reason,
    candle: iso(trade.candleTime),
    ...(trade.realizedPnl === undefined ? {} : { realizedPnl: trade.realizedPnl.toFixed() }),
  };
}

function positionView(position: Position | undefined): PositionView | null {
  if (!position) return null;
  return {
    quantity: position.quantity.toFixed(),
    entryPrice: position.entryPrice.toFixed(),
    entryTime: iso(position.entryTime),
    ...(position.stopLoss ? { stopLoss: position.stopLoss.toFixed() } : {}),
    ...(position.takeProfit1 ? { takeProfit1: position.takeProfit1.toFixed() } : {}),
    ...(position.takeProfit2 ? { takeProfit2: position.takeProfit2.toFixed() } : {}),
    tp1Taken: position.tp1Taken,
  };
}

export function candleView(candle: Candle, timeframe: Timeframe) {
  return {
    openTime: iso(candle.openTime),
    closeTime: iso(candle.openTime + timeframeMs(timeframe)),
    close: candle.close,
  };
}

/** The signal as results show it: action and reason, then what the strategy shows (its view). */
export function signalView(signal: StrategySignal): NonNullable<CycleResult["signal"]> {
  return { action: signal.action, reason: signal.reason, ...signal.view };
}

export function decisionView(decision: CycleDecision) {
  return {
    exits: decision.exits.map(fillView),
    entry: decision.entry ? fillView(decision.entry) : null,
    ...(decision.skipped ? { entrySkipped: decision.skipped } : {}),
    ...(decision.risk ? { protections: protectionsView(decision.risk) } : {}),
    position: positionView(decision.after),
    account: { usdtFree: decision.freeQuote.toFixed(), equity: decision.equity.toFixed(8) },
  };
}

/** A second delivery of a committed candle: the recorded outcome (its alerts are delivered after). */
export const duplicate = (recorded: CycleResult): CycleResult => ({ ...recorded, status: "duplicate" });

export const lockView = (lock: Lock): ProtectionView => ({
  protection: lock.protection,
  scope: lock.scope,
  since: iso(lock.since),
  until: iso(lock.until),
  reason: lock.reason,
});

function protectionsView(risk: NonNullable<CycleDecision["risk"]>): NonNullable<CycleResult["protections"]> {
  const name = (l: Lock) => `${l.protection} (${l.scope})`;
  return {
    active: risk.state.locks.map(lockView),
    engaged: risk.engaged.map(name),
    released: risk.released.map(name),
    ...(risk.blocked ? { blockedEntry: risk.blocked.protection } : {}),
  };
}
