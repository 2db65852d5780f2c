import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  BinanceMarketData,
  type BinanceMarketDataOptions,
} from "../../shared/adapters/binance/binance-market-data.ts";
import type { SymbolFilters } from "../../shared/application/ports/market-data.ts";
import { InvalidCandlesError } from "../../shared/domain/errors.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { type Timeframe, timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { progressBar } from "../progress.ts";
import { readCandlesFile } from "../read-candles-file.ts";

/** Filters used for a CSV, whose exchange rules are unknown: BNBUSDT's as of 2025. */
export const CSV_FILTERS = (symbol: string): SymbolFilters => ({
  symbol,
  status: "TRADING",
  baseAsset: symbol.replace(/USDT$/, ""),
  quoteAsset: "USDT",
  tickSize: "0.01",
  stepSize: "0.001",
  minQty: "0.001",
  minNotional: "5",
});

/** Candles from a CSV in the fixture format: every row valid, no gaps at the timeframe. */
export async function candlesFromCsv(path: string, timeframe: Timeframe): Promise<Candle[]> {
  const { candles } = await readCandlesFile(path);
  const interval = timeframeMs(timeframe);
  for (let i = 1; i < candles.length; i++) {
    const step = (candles[i] as Candle).openTime - (candles[i - 1] as Candle).openTime;
    if (step !== interval) {
      const after = new Date((candles[i - 1] as Candle).openTime).toISOString();
      throw new InvalidCandlesError(
        `line ${i + 2} of ${path}: ${step > interval ? `a gap of ${step / interval - 1} candle(s)` : "candles closer than the timeframe"} after ${after} (timeframe ${timeframe})`,
      );
    }
  }
  return candles;
}

interface CacheFile {
  filters: SymbolFilters;
  /** Open-time ranges already fetched in full (merged), so gaps there are Binance's, not ours. */
  covered: [number, number][];
  candles: [number, number, number, number, number, number][];
}

function merge(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = merged.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/**
 * Candles from Binance, paginated, kept under `cacheDir` so that a second run over a range
 * already fetched needs no download.
 */
export async function candlesFromBinance(options: {
  symbol: string;
  timeframe: Timeframe;
  from: number;
  to: number;
  cacheDir: string;
  binance: BinanceMarketDataOptions;
}): Promise<{ candles: Candle[]; filters: SymbolFilters; downloaded: number }> {
  const { symbol, timeframe, from, cacheDir } = options;
  const interval = timeframeMs(timeframe);
  // Only closed candles exist: nothing after the one that closed last.
  const to = Math.min(options.to, Date.now() - interval);
  const file = join(cacheDir, `${symbol}-${timeframe}.json`);
  const cached: CacheFile | undefined = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
  const byTime = new Map<number, Candle>();
  for (const [openTime, open, high, low, close, volume] of cached?.candles ?? []) {
    byTime.set(openTime, { openTime, open, high, low, close, volume });
  }
  let filters = cached?.filters;
  let covered = cached?.covered ?? [];
  let downloaded = 0;
  const inCache = covered.some(([a, b]) => a <= from && b >= to);
  if (!inCache || !filters) {
    const market = new BinanceMarketData(options.binance);
    filters = await market.symbolFilters(symbol);
    if (!inCache) {
      const bar = progressBar(`Downloading ${symbol} ${timeframe} candles`);
      const batch = await market.candleRange({
        symbol,
        timeframe,
        from,
        to,
        onProgress: (done, total) => bar.update(done, total),
      });
      for (const candle of batch.candles) byTime.set(candle.openTime, candle);
      downloaded = batch.candles.length;
      covered = merge([...covered, [from, to]]);
    }
    const all = [...byTime.values()].sort((a, b) => a.openTime - b.openTime);
    mkdirSync(cacheDir, { recursive: true });
    const content: CacheFile = {
      filters,
      covered,
      candles: all.map((c) => [c.openTime, c.open, c.high, c.low, c.close, c.volume]),
    };
    writeFileSync(file, JSON.stringify(content));
  }
  const candles = [...byTime.values()]
    .filter((c) => c.openTime >= from && c.openTime <= to)
    .sort((a, b) => a.openTime - b.openTime);
  return { candles, filters, downloaded };
}
