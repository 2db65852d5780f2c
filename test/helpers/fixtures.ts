import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCandlesCsv } from "../../shared/adapters/files/candles-csv.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";

/** Real Binance candles and the reference's signals, kept in the repository (see test/fixtures/README.md). */
export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

export const marketCsv = (name: "BNBUSDT-1d" | "BNBUSDT-4h"): string => `${FIXTURES}market/${name}.csv`;
export const signalsJsonl = (name: "BNBUSDT-1d" | "BNBUSDT-4h"): string => `${FIXTURES}signals/${name}.jsonl`;

export function fixtureCandles(name: "BNBUSDT-1d" | "BNBUSDT-4h"): Candle[] {
  return parseCandlesCsv(readFileSync(marketCsv(name), "utf8"), `${name}.csv`);
}

export interface ReferenceSignal {
  t: string;
  action: string;
  trend: string;
  price: number;
  levels?: Record<string, number>;
  confirmations?: string[];
  entry?: number;
  stop_loss?: number;
  take_profit_1?: number;
  take_profit_2?: number;
}

export function referenceSignals(name: "BNBUSDT-1d" | "BNBUSDT-4h"): ReferenceSignal[] {
  return readFileSync(signalsJsonl(name), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as ReferenceSignal);
}
