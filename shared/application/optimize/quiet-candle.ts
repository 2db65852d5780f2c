import type { Position } from "../../domain/account/account.ts";
import type { CandleSeries } from "../../domain/market/candle-series.ts";
import type { Decimal } from "../../domain/money/decimal.ts";

const UNITS = 100_000_000;
const pow10 = (n: number) => 10n ** BigInt(n);
const closesCache = new WeakMap<CandleSeries, { units: BigInt64Array; exact: Uint8Array }>();

/**
 * Each close as an integer count of 1e-8, and whether that is the close exactly (its shortest
 * decimal has at most 8 places: Binance's prices do). Computed once per series.
 */
export function closeUnits(series: CandleSeries) {
  let cached = closesCache.get(series);
  if (!cached) {
    const units = new BigInt64Array(series.length);
    const exact = new Uint8Array(series.length);
    for (let i = 0; i < series.length; i++) {
      const close = series.close[i] as number;
      const u = Math.round(close * UNITS);
      units[i] = BigInt(u);
      exact[i] = Number.isSafeInteger(u) && u / UNITS === close && Math.abs(close) < 1e7 ? 1 : 0;
    }
    cached = { units, exact };
    closesCache.set(series, cached);
  }
  return cached;
}

/**
 * What a held position needs to be checked quickly at each candle: its exits as numbers (prices of
 * at most 8 decimals keep their order as doubles), and its quantity and the cash beside it as
 * integers, for the equity to the last digit.
 */
export interface QuietCheck {
  readonly stop: number;
  readonly tp1: number;
  readonly tp2: number;
  readonly trailFrom: number;
  readonly quantity: bigint;
  /** cash and quantity × close (in 1e-8) brought to one scale, and back to 1e-8. */
  readonly cashAtScale: bigint;
  readonly quantityFactor: bigint;
  readonly divisor: bigint;
}

/** A held position's exits as numbers: its stop, its targets, its trailing stop's activation (absent: out of reach). */
export function exitThresholds(position: Position) {
  return {
    stop: position.stopLoss ? Number(position.stopLoss.toFixed()) : Number.NEGATIVE_INFINITY,
    tp1:
      position.takeProfit1 && !position.tp1Taken
        ? Number(position.takeProfit1.toFixed())
        : Number.POSITIVE_INFINITY,
    tp2: position.takeProfit2 ? Number(position.takeProfit2.toFixed()) : Number.POSITIVE_INFINITY,
    trailFrom: position.trailing ? Number(position.trailing.activation.toFixed()) : Number.POSITIVE_INFINITY,
  };
}

export function quietCheck(position: Position, cash: Decimal): QuietCheck {
  const scale = Math.max(cash.scale, position.quantity.scale + 8, 8);
  return {
    ...exitThresholds(position),
    quantity: position.quantity.mantissa,
    cashAtScale: cash.mantissa * pow10(scale - cash.scale),
    quantityFactor: pow10(scale - position.quantity.scale - 8),
    divisor: pow10(scale - 8),
  };
}

/**
 * The equity at candle `i` when the candle moves nothing (no exit reached, no trailing stop moved):
 * cash + quantity × close, cut to 8 decimals as the cycle reports it, as the number it reports;
 * undefined when that candle could move something or its close is not exact in 1e-8. `closes`
 * are the series' closeUnits, read once by the caller (this runs at every held candle).
 */
export function quietEquity(
  check: QuietCheck,
  series: CandleSeries,
  closes: ReturnType<typeof closeUnits>,
  i: number,
): number | undefined {
  const low = series.low[i] as number;
  const high = series.high[i] as number;
  const close = series.close[i] as number;
  if (low <= check.stop || high >= check.tp2 || high >= check.tp1 || close >= check.trailFrom)
    return undefined;
  if (closes.exact[i] !== 1) return undefined;
  const total = check.cashAtScale + check.quantity * (closes.units[i] as bigint) * check.quantityFactor;
  const units = total / check.divisor; // toward zero, as toFixed(8)
  if (units < 0n || units > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(units) / UNITS;
}
