import { InvalidCandlesError } from "../../domain/errors.ts";
import type { Candle } from "../../domain/market/candle.ts";

const COLUMNS = ["timestamp", "open", "high", "low", "close", "volume"] as const;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A CSV line number (1-based, the header is line 1) as errors name it. */
function csvRow(source: string, line: number): string {
  return `line ${line} of ${source}`;
}

/** Parses `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` as UTC; NaN when it is not a real date. */
export function parseUtcTimestamp(text: string): number {
  const m = TIMESTAMP.exec(text);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0)) as number[];
  const ms = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second);
  const back = new Date(ms);
  const valid =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === (month as number) - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute;
  return valid ? ms : Number.NaN;
}

/**
 * Reads candles from the fixture CSV format (`timestamp,open,high,low,close,volume[,…]`,
 * open time in UTC). Row-level problems throw InvalidCandlesError naming the line; ordering
 * and high/low consistency are checked by toCandleSeries.
 */
export function parseCandlesCsv(text: string, source: string): Candle[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const header = (lines[0] ?? "").split(",").map((name) => name.trim());
  COLUMNS.forEach((name, index) => {
    if (header[index] !== name) {
      throw new InvalidCandlesError(
        `${csvRow(source, 1)}: expected the header to start with ${COLUMNS.join(",")}, got "${lines[0] ?? ""}"`,
      );
    }
  });
  const candles: Candle[] = [];
  for (let index = 1; index < lines.length; index++) {
    const where = csvRow(source, index + 1);
    const fields = (lines[index] as string).split(",");
    if (fields.length !== header.length) {
      throw new InvalidCandlesError(`${where}: expected ${header.length} fields, got ${fields.length}`);
    }
    const openTime = parseUtcTimestamp(fields[0] as string);
    if (Number.isNaN(openTime))
      throw new InvalidCandlesError(`${where}: timestamp "${fields[0]}" is not a UTC date`);
    const values = COLUMNS.slice(1).map((name, k) => {
      const text = (fields[k + 1] as string).trim();
      const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(value))
        throw new InvalidCandlesError(`${where}: ${name} "${text}" is not a finite number`);
      return value;
    }) as [number, number, number, number, number];
    const [open, high, low, close, volume] = values;
    candles.push({ openTime, open, high, low, close, volume });
  }
  return candles;
}
