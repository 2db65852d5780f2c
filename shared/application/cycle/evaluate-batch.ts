import type { Position } from "../../domain/account/account.ts";
import type { Candle } from "../../domain/market/candle.ts";
import { toCandleSeries } from "../../domain/market/candle-series.ts";
import { timeframeMs } from "../../domain/market/timeframe.ts";
import type { ConfiguredStrategy, StrategySignal } from "../../domain/strategies/strategy.ts";
import type { CandleBatch, MarketData } from "../ports/market-data.ts";
import type { CycleConfig } from "./config.ts";
import { CandleMismatchError, InsufficientHistoryError } from "./errors.ts";
import type { CycleRequest } from "./request.ts";

/** The strategy's signal for the last candle of a batch of at most `window` closed candles. */
export function evaluateBatch(
  request: CycleRequest,
  strategy: ConfiguredStrategy,
  batch: CandleBatch,
  window: number,
  /** Open time of the event's candle: the only one the cycle may decide on. */
  candleTime: number,
): { signal: StrategySignal; candle: Candle } {
  const { candles } = batch;
  if (candles.length < strategy.minimumCandles) {
    throw new InsufficientHistoryError(
      `${request.symbol} ${request.timeframe}: Binance has ${candles.length} closed candles, ${strategy.name} needs ${strategy.minimumCandles}`,
    );
  }
  const closed = candles.at(-1) as Candle;
  if (closed.openTime !== candleTime)
    throw new CandleMismatchError(
      `${request.symbol} ${request.timeframe}: the event is for the candle opened at ${new Date(candleTime).toISOString()}, the market data's last closed candle opened at ${new Date(closed.openTime).toISOString()}; nothing committed`,
    );
  const { series, last } = batch.window ?? { series: toCandleSeries(candles), last: candles.length - 1 };
  return {
    signal: strategy.evaluate(series, last, Math.min(window, candles.length)),
    candle: candles.at(-1) as Candle,
  };
}

/**
 * Closed candles the cycle fetches: the window, or fewer when the strategy says its evaluation
 * reads fewer (its lookback); never fewer than it needs.
 */
export function candleCount(strategy: ConfiguredStrategy, config: CycleConfig): number {
  if (strategy.lookback === undefined) return config.window;
  return Math.min(config.window, Math.max(strategy.lookback, strategy.minimumCandles));
}

/** The window's candles, or, after a long outage, every candle since the position was last checked. */
export async function candlesToCheck(
  market: MarketData,
  position: Position | undefined,
  candles: Candle[],
  request: CycleRequest,
): Promise<readonly Candle[]> {
  const first = candles[0] as Candle;
  const interval = timeframeMs(request.timeframe);
  if (!position || position.lastEvaluated >= first.openTime - interval) return candles;
  const last = candles.at(-1) as Candle;
  const range = await market.candleRange({
    symbol: request.symbol,
    timeframe: request.timeframe,
    from: position.lastEvaluated + interval,
    to: last.openTime,
  });
  return range.candles;
}
