import { readFile } from "node:fs/promises";
import { parseCandlesCsv } from "../shared/adapters/files/candles-csv.ts";
import { InvalidCandlesError } from "../shared/domain/errors.ts";
import type { Candle } from "../shared/domain/market/candle.ts";
import { type CandleSeries, toCandleSeries } from "../shared/domain/market/candle-series.ts";
import { minuteUtc } from "../shared/domain/market/utc.ts";

/** Reads and validates a candles CSV as a whole; errors name the file and the line. */
export async function readCandlesFile(path: string): Promise<{ candles: Candle[]; series: CandleSeries }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidCandlesError(
      `cannot read ${path}: ${code === "ENOENT" ? "no such file" : String(code)}`,
      {
        cause: error,
      },
    );
  }
  const candles = parseCandlesCsv(text, path);
  // Row i of the candles is line i + 2 of the file (after the header).
  return { candles, series: toCandleSeries(candles, (index) => `line ${index + 2} of ${path}`) };
}

/**
 * Candles one interval apart throughout (the interval the first two set): a missing row is refused
 * with its line, as the backtest refuses it, never read as a window across the gap.
 */
export function checkNoGaps(candles: readonly Candle[], path: string): void {
  if (candles.length < 3) return;
  const step = (candles[1] as Candle).openTime - (candles[0] as Candle).openTime;
  for (let i = 2; i < candles.length; i++) {
    const gap = (candles[i] as Candle).openTime - (candles[i - 1] as Candle).openTime;
    if (gap !== step)
      throw new InvalidCandlesError(
        `line ${i + 2} of ${path}: ${gap > step ? `a gap of ${gap / step - 1} candle(s)` : "candles closer than the ones before"} after the candle opening ${minuteUtc((candles[i - 1] as Candle).openTime)}`,
      );
  }
}

/** The symbol a candles file is named for ("BNBUSDT-4h.csv" → BNBUSDT), if its name says one. */
export function symbolOfFileName(path: string): string | undefined {
  const base = path.split(/[\\/]/).pop() ?? "";
  return /^([A-Z0-9]{5,20})[-_](?:\d+[mhdwM])\b/.exec(base)?.[1];
}
