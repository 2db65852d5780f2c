import { TradingBotError } from "../../domain/errors.ts";
import type { CandleSeries } from "../../domain/market/candle-series.ts";
import { minuteUtc } from "../../domain/market/utc.ts";
import type { ConfiguredStrategy } from "../../domain/strategies/strategy.ts";

/** A strategy read a candle after the one that closed: its backtest would know the future. */
export class LookaheadError extends TradingBotError {
  override readonly name: string = "LookaheadError";
  readonly retryable = false;
}

const COLUMNS = ["openTime", "open", "high", "low", "close", "volume"] as const;

/** The series as it stood when candle `last` closed: nothing after it, and a read past it throws. */
function seriesUntil(series: CandleSeries, last: number, strategy: string): CandleSeries {
  const guard = (column: (typeof COLUMNS)[number]) =>
    new Proxy(series[column].subarray(0, last + 1), {
      get(target, property) {
        if (typeof property === "string" && /^\d+$/.test(property) && Number(property) > last)
          throw new LookaheadError(
            `strategy ${strategy} read ${column}[${property}], a candle after the one that closed (#${last}, closed after ${minuteUtc(series.openTime[last] as number)} open): a strategy sees only the candles up to the one that closed`,
          );
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return {
    length: last + 1,
    openTime: guard("openTime"),
    open: guard("open"),
    high: guard("high"),
    low: guard("low"),
    close: guard("close"),
    volume: guard("volume"),
  };
}

/**
 * Evaluates the strategy again at some of the candles a replay decided on, on the series as it
 * stood then (the candles after it absent, a read of one throwing LookaheadError), and requires
 * the same action. Replays hand strategies the whole series with an index for speed; this is what
 * keeps a strategy from trading on the future unnoticed. `at` are candle indices.
 */
export function checkNoLookahead(
  strategy: ConfiguredStrategy,
  series: CandleSeries,
  at: readonly number[],
  count: number,
): void {
  for (const last of at) {
    const window = Math.min(count, last + 1);
    const seen = strategy.evaluate(seriesUntil(series, last, strategy.name), last, window).action;
    const given = strategy.evaluate(series, last, window).action;
    if (seen !== given)
      throw new LookaheadError(
        `strategy ${strategy.name} decides ${given} at candle #${last} with the candles after it, ${seen} without them: it reads the future`,
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
