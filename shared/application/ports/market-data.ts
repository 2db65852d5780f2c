import type { Candle } from "../../domain/market/candle.ts";
import type { CandleSeries } from "../../domain/market/candle-series.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";

/** A hole in a candle sequence: the exchange had no candles between these open times. */
export interface CandleGap {
  /** Open time of the last candle before the hole. */
  readonly after: number;
  /** Open time of the first candle after the hole. */
  readonly before: number;
  readonly missing: number;
}

export interface CandleBatch {
  /** Closed candles only, oldest first. */
  readonly candles: Candle[];
  readonly gaps: CandleGap[];
  /** Request weight the exchange reports as used in the current minute, when it says. */
  readonly usedWeight?: number;
  /**
   * The same candles as an already validated column series, `last` being the index of the
   * last one, when the source holds them so (the backtest): saves validating them again.
   */
  readonly window?: { readonly series: CandleSeries; readonly last: number };
}

/** The exchange's trading rules for a symbol; decimals stay strings so money stays exact. */
export interface SymbolFilters {
  readonly symbol: string;
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly minNotional: string;
}

export interface ClosedCandlesRequest {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly count: number;
  /** The last candle returned is the one that closed at or before this time (epoch ms). */
  readonly closedBy: number;
}

export interface CandleRangeRequest {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Open time of the first candle wanted (epoch ms, included). */
  readonly from: number;
  /** Open times up to this one (epoch ms, included); only closed candles are returned. */
  readonly to: number;
  readonly onProgress?: (fetched: number, expected: number) => void;
}

/** What the trading cycle and the backtest read from the market. */
export interface MarketData {
  closedCandles(request: ClosedCandlesRequest): Promise<CandleBatch>;
  candleRange(request: CandleRangeRequest): Promise<CandleBatch>;
  /** The symbol's exchange filters; a source may keep them a while, unless `fresh` is asked. */
  symbolFilters(symbol: string, options?: { readonly fresh?: boolean }): Promise<SymbolFilters>;
}
