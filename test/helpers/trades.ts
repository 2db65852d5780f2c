import type { CycleCommit, CycleRecord } from "../../shared/application/ports/account-repository.ts";
import type { Position, Trade, TradeSide } from "../../shared/domain/account/account.ts";
import type { Timeframe } from "../../shared/domain/market/timeframe.ts";
import { dec } from "../../shared/domain/money/decimal.ts";

export const T0 = Date.UTC(2025, 4, 18, 16);

type TradeSpec = Omit<Partial<Trade>, "quantity" | "price"> & {
  side: TradeSide;
  quantity: string;
  price: string;
};

export function trade(over: TradeSpec): Trade {
  const quantity = dec(over.quantity);
  const price = dec(over.price);
  const quoteAmount = quantity.times(price);
  return {
    symbol: "BNBUSDT",
    timeframe: "4h",
    baseAsset: "BNB",
    quoteAsset: "USDT",
    reason: over.side === "BUY" ? "entry" : "signal",
    candleTime: T0,
    sequence: 0,
    fee: quoteAmount.times("0.001"),
    ...over,
    quantity,
    price,
    quoteAmount,
  };
}

export function cycle(over: Partial<CycleRecord> = {}): CycleRecord {
  return {
    accountId: "paper",
    symbol: "BNBUSDT",
    timeframe: "4h",
    candleTime: T0,
    action: "BUY",
    outcome: { status: "ok" } as unknown as CycleRecord["outcome"],
    recordedAt: new Date(T0 + 4 * 3_600_000).toISOString(),
    ...over,
  };
}

export function position(over: Partial<Position> = {}): Position {
  return {
    symbol: "BNBUSDT",
    timeframe: "4h" as Timeframe,
    baseAsset: "BNB",
    quantity: dec("1.5"),
    entryPrice: dec("638.13"),
    entryTime: T0,
    stopLoss: dec("606.97"),
    takeProfit1: dec("760.65"),
    takeProfit2: dec("870.1"),
    tp1Fraction: dec("0.5"),
    tp1Taken: false,
    stopToEntryAfterTp1: true,
    lastEvaluated: T0,
    markPrice: dec("638.13"),
    version: 1,
    ...over,
  };
}

export function commit(over: Partial<CycleCommit> = {}): CycleCommit {
  return { cycle: cycle(), expectedVersion: 0, trades: [], ...over };
}

/** A fill as the equality tests compare them: every figure, its candle's time less the served candles' shift. */
export const describeTrade = (t: Trade, shift: number) =>
  [
    t.symbol,
    t.timeframe,
    t.side,
    t.quantity.toFixed(),
    t.price.toFixed(),
    t.fee.toFixed(),
    t.reason,
    t.candleTime - shift,
  ].join(" ");
