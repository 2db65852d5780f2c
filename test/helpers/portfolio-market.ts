import type { SymbolInfo } from "../../cli/stand-ins/binance-stand-in.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import type { Timeframe } from "../../shared/domain/market/timeframe.ts";
import { fixtureCandles } from "./fixtures.ts";
import { filtersOf } from "./live-session.ts";

/**
 * A market of several symbols for portfolio tests, made from the real BNBUSDT candles: each other
 * symbol takes BNBUSDT's candles `shift` candles later (wrapping), scaled by `factor`, at the same
 * times, so that every symbol moves on its own while every candle stays a valid one.
 */
export const PORTFOLIO_SYMBOLS: readonly { symbol: string; shift: number; factor: number }[] = [
  { symbol: "BNBUSDT", shift: 0, factor: 1 },
  { symbol: "ETHUSDT", shift: 37, factor: 4 },
  { symbol: "SOLUSDT", shift: 91, factor: 0.25 },
];

const round = (value: number) => Math.round(value * 100) / 100;

export function derivedCandles(symbol: string, timeframe: "4h" | "1d"): Candle[] {
  const spec = PORTFOLIO_SYMBOLS.find((s) => s.symbol === symbol);
  if (!spec) throw new Error(`no derived market for ${symbol}`);
  const source = fixtureCandles(timeframe === "4h" ? "BNBUSDT-4h" : "BNBUSDT-1d");
  return source.map((c, i) => {
    const from = source[(i + spec.shift) % source.length] as Candle;
    return {
      openTime: c.openTime,
      open: round(from.open * spec.factor),
      high: round(from.high * spec.factor),
      low: round(from.low * spec.factor),
      close: round(from.close * spec.factor),
      volume: from.volume,
    };
  });
}

export { filtersOf };

export const infoOf = (symbol: string): SymbolInfo => {
  const f = filtersOf(symbol);
  return { ...f, tickSize: f.tickSize, stepSize: f.stepSize, minQty: f.minQty, minNotional: f.minNotional };
};

export type PairSpec = { symbol: string; timeframe: Timeframe };
