import { TradingBotError } from "../../domain/errors.ts";
import type { CandleSeries } from "../../domain/market/candle-series.ts";
import { minuteUtc } from "../../domain/market/utc.ts";
import type { ConfiguredStrategy } from "../../domain/strategies/strategy.ts";

/** A strategy read a candle after the one that closed: its backtest would know the future. */
export class LookaheadError extends TradingBotError {
  override readonly name: string = "LookaheadError";
  readonly retryable = false;
}

/**
 * The series as it stood when candle `last` closed: views that end there (the same kind of arrays
 * as the replay's, so the strategy's code runs as it always does; a read past the end gives
 * nothing, and the decision changes).
 */
function seriesUntil(series: CandleSeries, last: number): CandleSeries {
  const end = last + 1;
  return {
    length: end,
    openTime: series.openTime.subarray(0, end),
    open: series.open.subarray(0, end),
    high: series.high.subarray(0, end),
    low: series.low.subarray(0, end),
    close: series.close.subarray(0, end),
    volume: series.volume.subarray(0, end),
  };
}

/**
 * Evaluates the strategy again at some of the candles a replay decided on, on the series as it
 * stood then (the candles after it absent), and requires the same action, else LookaheadError.
 * Replays hand strategies the whole series with an index for speed; this is what keeps a strategy
 * that reads a later candle from trading on the future unnoticed. `at` are candle indices.
 */
export function checkNoLookahead(
  strategy: ConfiguredStrategy,
  series: CandleSeries,
  at: readonly number[],
  count: number,
  /** The candles' length (ms), to name a candle by its close. */
  interval: number,
): void {
  for (const last of at) {
    const window = Math.min(count, last + 1);
    const seen = strategy.evaluate(seriesUntil(series, last), last, window).action;
    const given = strategy.evaluate(series, last, window).action;
    if (seen !== given)
      throw new LookaheadError(
        `strategy ${strategy.name} decides ${given} at the candle closed ${minuteUtc((series.openTime[last] as number) + interval)} with the candles after it, ${seen} without them: it reads a later candle, and a backtest of it would trade on the future`,
      );
  }
}

/** Up to `spread` candles evenly over [from, to), and every one of `events` (the BUY and SELL candles), capped. */
export function lookaheadProbes(
  from: number,
  to: number,
  events: readonly number[],
  spread = 16,
  cap = 48,
): number[] {
  const even = Array.from({ length: Math.min(spread, to - from) }, (_, k) =>
    Math.floor(from + ((to - from - 1) * k) / Math.max(1, spread - 1)),
  );
  return [...new Set([...events.slice(0, cap - even.length), ...even])].filter((i) => i >= from && i < to);
}
