import type { Candle } from "../../domain/market/candle.ts";
import { isAlignedOpen, type Timeframe, timeframeMs } from "../../domain/market/timeframe.ts";
import { MalformedResponseError } from "./binance-errors.ts";

const DECIMAL = /^\d+(\.\d+)?$/;

/** A parsed kline: the candle plus the close time Binance reports (open + interval − 1 ms). */
export interface Kline extends Candle {
  readonly closeTime: number;
}

function decimal(row: unknown[], index: number, name: string, where: string): number {
  const text = row[index];
  if (typeof text !== "string" || !DECIMAL.test(text)) {
    throw new MalformedResponseError(`${where}: ${name} ${JSON.stringify(text)} is not a decimal string`);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new MalformedResponseError(`${where}: ${name} "${text}" is not finite`);
  return value;
}

function integer(row: unknown[], index: number, name: string, where: string): number {
  const value = row[index];
  if (!Number.isSafeInteger(value)) {
    throw new MalformedResponseError(`${where}: ${name} ${JSON.stringify(value)} is not an integer`);
  }
  return value as number;
}

/** A price no market can have: zero, or open/close outside [low, high], or high below low. */
function insane(kline: Kline, where: string): void {
  const at = `${where} (open time ${new Date(kline.openTime).toISOString()})`;
  for (const name of ["open", "high", "low", "close"] as const) {
    if (kline[name] <= 0)
      throw new MalformedResponseError(`${at}: ${name} ${kline[name]} is not a positive price`);
  }
  if (kline.high < kline.low)
    throw new MalformedResponseError(`${at}: high ${kline.high} is below low ${kline.low}`);
  for (const name of ["open", "close"] as const) {
    if (kline[name] < kline.low || kline[name] > kline.high) {
      throw new MalformedResponseError(
        `${at}: ${name} ${kline[name]} lies outside [low ${kline.low}, high ${kline.high}]`,
      );
    }
  }
}

/**
 * A candle's identity: its open time on the interval's grid (a "4h candle" opening at 05:00 is
 * not one), and its close time exactly open + interval − 1 ms, so that a forming candle reported
 * with a close time already past (a skewed proxy or mirror) is never taken for a closed one.
 */
function identity(kline: Kline, timeframe: Timeframe, where: string): void {
  const at = `${where}: open time ${new Date(kline.openTime).toISOString()}`;
  if (!isAlignedOpen(kline.openTime, timeframe))
    throw new MalformedResponseError(
      `${at} is not on the ${timeframe} grid${timeframe === "1w" ? " (weeks open on Mondays, UTC)" : ""}`,
    );
  const expected = kline.openTime + timeframeMs(timeframe) - 1;
  if (kline.closeTime !== expected)
    throw new MalformedResponseError(
      `${at}: close time ${new Date(kline.closeTime).toISOString()} is not ${new Date(expected).toISOString()} (open + ${timeframe} − 1 ms)`,
    );
}

/**
 * Parses the body of GET /api/v3/klines strictly: an array of 12-field rows, decimals as
 * strings, times as integers, sane prices (positive, open and close within [low, high]), open
 * times strictly increasing, and (given the interval asked for) each candle's identity.
 */
export function parseKlines(body: unknown, context: string, timeframe?: Timeframe): Kline[] {
  if (!Array.isArray(body)) throw new MalformedResponseError(`${context}: expected an array of klines`);
  const klines: Kline[] = [];
  body.forEach((row: unknown, index) => {
    const where = `${context}, kline ${index}`;
    if (!Array.isArray(row) || row.length !== 12) {
      throw new MalformedResponseError(
        `${where}: expected 12 fields, got ${Array.isArray(row) ? row.length : typeof row}`,
      );
    }
    const kline: Kline = {
      openTime: integer(row, 0, "open time", where),
      open: decimal(row, 1, "open", where),
      high: decimal(row, 2, "high", where),
      low: decimal(row, 3, "low", where),
      close: decimal(row, 4, "close", where),
      volume: decimal(row, 5, "volume", where),
      closeTime: integer(row, 6, "close time", where),
    };
    insane(kline, where);
    if (timeframe) identity(kline, timeframe, where);
    const previous = klines.at(-1);
    if (previous && kline.openTime <= previous.openTime) {
      throw new MalformedResponseError(
        `${where}: open time ${kline.openTime} does not follow ${previous.openTime}`,
      );
    }
    klines.push(kline);
  });
  return klines;
}
