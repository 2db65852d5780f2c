import type {
  CandleBatch,
  CandleRangeRequest,
  ClosedCandlesRequest,
  MarketData,
  SymbolFilters,
} from "../../application/ports/market-data.ts";
import type { Candle } from "../../domain/market/candle.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import { HistoricalMarketData } from "./historical-market-data.ts";

/** Market data of several pairs from candles in hand: each pair answers from its own candles and filters. */
export class PairsMarketData implements MarketData {
  readonly #pairs = new Map<string, HistoricalMarketData>();
  readonly #filters = new Map<string, SymbolFilters>();

  add(symbol: string, timeframe: Timeframe, candles: readonly Candle[], filters: SymbolFilters): this {
    this.#pairs.set(`${symbol} ${timeframe}`, new HistoricalMarketData(candles, filters));
    this.#filters.set(symbol, filters);
    return this;
  }

  /** The filters `symbol` answers with from now on (the replay sets those a live cycle used). */
  setFilters(symbol: string, filters: SymbolFilters): void {
    this.#filters.set(symbol, filters);
  }

  #pair(symbol: string, timeframe: Timeframe): HistoricalMarketData {
    const pair = this.#pairs.get(`${symbol} ${timeframe}`);
    if (!pair) throw new RangeError(`no candles in hand for ${symbol} ${timeframe}`);
    return pair;
  }

  closedCandles(request: ClosedCandlesRequest): Promise<CandleBatch> {
    return this.#pair(request.symbol, request.timeframe).closedCandles(request);
  }

  candleRange(request: CandleRangeRequest): Promise<CandleBatch> {
    return this.#pair(request.symbol, request.timeframe).candleRange(request);
  }

  async symbolFilters(symbol: string): Promise<SymbolFilters> {
    const filters = this.#filters.get(symbol);
    if (!filters) throw new RangeError(`no exchange filters in hand for ${symbol}`);
    return filters;
  }
}
