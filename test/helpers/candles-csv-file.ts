import { writeFileSync } from "node:fs";
import type { Candle } from "../../shared/domain/market/candle.ts";

/** Writes candles as a CSV in the fixtures' format (UTC "YYYY-MM-DD HH:MM:SS" open times). */
export function writeCandlesCsv(path: string, candles: readonly Candle[]): void {
  const time = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
  const rows = candles.map((c) => [time(c.openTime), c.open, c.high, c.low, c.close, c.volume].join(","));
  writeFileSync(path, `${["timestamp,open,high,low,close,volume", ...rows].join("\n")}\n`);
}
