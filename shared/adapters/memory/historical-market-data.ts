import type {
  CandleBatch,
  CandleRangeRequest,
  ClosedCandlesRequest,
  MarketData,
  SymbolFilters,
} from "../../application/ports/market-data.ts";
import type { Candle } from "../../domain/market/candle.ts";
import { type CandleSeries, toCandleSeries } from "../../domain/market/candle-series.ts";
import { timeframeMs } from "../../domain/market/timeframe.ts";

/**
 * Market data from candles already in hand (a CSV, a cache): what Binance would have answered
 * at any past moment, for the backtest. Candles are validated and in order.
 */
export class HistoricalMarketData implements MarketData {
  readonly #candles: readonly Candle[];
  readonly #series: CandleSeries;
  readonly #filters: SymbolFilters;

  constructor(candles: readonly Candle[], filters: SymbolFilters) {
    this.#candles = candles;
    this.#series = toCandleSeries(candles);
    this.#filters = filters;
  }

  /** Index just past the last candle whose open time is ≤ `time`. */
  #endBefore(time: number): number {
    let lo = 0;
    let hi = this.#candles.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#candles[mid] as Candle).openTime <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  async closedCandles({ timeframe, count, closedBy }: ClosedCandlesRequest): Promise<CandleBatch> {
    const end = this.#endBefore(closedBy - timeframeMs(timeframe));
    const candles = this.#candles.slice(Math.max(0, end - count), end);
    return { candles, gaps: [], window: { series: this.#series, last: end - 1 } };
  }

  async candleRange({ from, to }: CandleRangeRequest): Promise<CandleBatch> {
    return { candles: this.#candles.slice(this.#endBefore(from - 1), this.#endBefore(to)), gaps: [] };
  }

  async symbolFilters(): Promise<SymbolFilters> {
    return this.#filters;
  }
}
