import { readFile } from "node:fs/promises";
import { parseCandlesCsv } from "../shared/adapters/files/candles-csv.ts";
import { InvalidCandlesError } from "../shared/domain/errors.ts";
import type { Candle } from "../shared/domain/market/candle.ts";
import { type CandleSeries, toCandleSeries } from "../shared/domain/market/candle-series.ts";

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
