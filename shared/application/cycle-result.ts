import type { Position, Trade } from "../domain/account/account.ts";
import type { Candle } from "../domain/market/candle.ts";
import { type Timeframe, timeframeMs } from "../domain/market/timeframe.ts";
import type { Signal } from "../domain/strategy/signal.ts";
import type { CycleDecision } from "../domain/trading/decide-cycle.ts";

/** One fill, decimals as exact strings. */
export interface FillView {
  readonly side: "BUY" | "SELL";
  readonly quantity: string;
  readonly price: string;
  readonly quoteAmount: string;
  readonly fee: string;
  readonly reason: string;
  /** Open time of the candle the fill belongs to, ISO-8601 UTC. */
  readonly candle: string;
  readonly realizedPnl?: string;
}

export interface PositionView {
  readonly quantity: string;
  readonly entryPrice: string;
  readonly entryTime: string;
  readonly stopLoss: string;
  readonly takeProfit1: string;
  readonly takeProfit2: string;
  readonly tp1Taken: boolean;
}

/** The stable, documented result of one cycle (returned by the handler, logged, printed by the CLIs). */
export interface CycleResult {
  /** ok; duplicate (the candle was committed before: its outcome); stale (refused: not after the
   * pair's last committed candle, too late, or not closed yet); failed (see `error.retryable`). */
  readonly status: "ok" | "duplicate" | "stale" | "failed";
  readonly dryRun: boolean;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly accountId: string;
  readonly candle?: { readonly openTime: string; readonly closeTime: string; readonly close: number };
  readonly signal?: {
    readonly action: string;
    readonly reason: string;
    readonly trend: string;
    readonly levels?: Record<string, number>;
    readonly confirmations?: readonly string[];
    readonly entry?: number;
    readonly stopLoss?: number;
    readonly takeProfit1?: number;
    readonly takeProfit2?: number;
  };
  readonly exits: readonly FillView[];
  readonly entry: FillView | null;
  /** Why a BUY opened nothing. */
  readonly entrySkipped?: string;
  readonly position: PositionView | null;
  readonly account?: { readonly usdtFree: string; readonly equity: string };
  /** Open positions of the account whose pair the watchlist no longer schedules ("ETHUSDT 1h"). */
  readonly unmanagedPositions?: readonly string[];
  readonly alerts?: { readonly sent: number; readonly failed: number };
  readonly durationMs: number;
  readonly error?: { readonly type: string; readonly message: string; readonly retryable: boolean };
}

const iso = (ms: number) => new Date(ms).toISOString();

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

export function positionView(position: Position | undefined): PositionView | null {
  if (!position) return null;
  return {
    quantity: position.quantity.toFixed(),
    entryPrice: position.entryPrice.toFixed(),
    entryTime: iso(position.entryTime),
    stopLoss: position.stopLoss.toFixed(),
    takeProfit1: position.takeProfit1.toFixed(),
    takeProfit2: position.takeProfit2.toFixed(),
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

export function signalView(signal: Signal): NonNullable<CycleResult["signal"]> {
  return {
    action: signal.action,
    reason: signal.reason,
    trend: signal.trend,
    ...(signal.levels
      ? { levels: { high: signal.levels.high, low: signal.levels.low, ...signal.levels.ratios } }
      : {}),
    ...(signal.confirmations ? { confirmations: signal.confirmations } : {}),
    ...(signal.plan
      ? {
          entry: signal.plan.entry,
          stopLoss: signal.plan.stopLoss,
          takeProfit1: signal.plan.takeProfit1,
          takeProfit2: signal.plan.takeProfit2,
        }
      : {}),
  };
}

export function decisionView(decision: CycleDecision) {
  return {
    exits: decision.exits.map(fillView),
    entry: decision.entry ? fillView(decision.entry) : null,
    ...(decision.skipped ? { entrySkipped: decision.skipped } : {}),
    position: positionView(decision.after),
    account: { usdtFree: decision.freeQuote.toFixed(), equity: decision.equity.toFixed(8) },
  };
}
