import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DEFAULT_BINANCE_BASE_URL } from "../../shared/adapters/binance/binance-http.ts";
import {
  BinanceMarketData,
  type BinanceMarketDataOptions,
} from "../../shared/adapters/binance/binance-market-data.ts";
import type { SymbolFilters } from "../../shared/application/ports/market-data.ts";
import { InvalidCandlesError } from "../../shared/domain/errors.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { TIMEFRAMES, type Timeframe, timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { minuteUtc } from "../../shared/domain/market/utc.ts";
import { UsageError } from "../cli-errors.ts";
import { progressBar } from "../progress.ts";
import { readCandlesFile, symbolOfFileName } from "../read-candles-file.ts";

/** BNBUSDT's exchange filters as Binance listed them in 2025: for the benchmark and the tests' replays. */
export const BNBUSDT_FILTERS: SymbolFilters = {
  symbol: "BNBUSDT",
  status: "TRADING",
  baseAsset: "BNB",
  quoteAsset: "USDT",
  tickSize: "0.01",
  stepSize: "0.001",
  minQty: "0.001",
  minNotional: "5",
};

const QUOTES = ["USDT", "USDC", "FDUSD", "BUSD", "TUSD", "BTC", "ETH", "BNB", "EUR", "TRY"];
const STEP = /^\d+(\.\d+)?$/;

/** The quote asset a symbol ends with (BNBUSDT → USDT), or a UsageError naming the ones known. */
export function quoteOf(symbol: string): string {
  const quote = QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length);
  if (!quote) throw new UsageError(`cannot tell the quote asset of ${symbol} (known: ${QUOTES.join(", ")})`);
  return quote;
}

/**
 * The exchange filters of a CSV's symbol, never another symbol's: --tick, --step and
 * --min-notional when given (all three), else Binance's exchangeInfo for the symbol, cached under
 * `cacheDir` (a second run needs no network). Neither → a UsageError saying how to give them.
 */
export async function filtersForCsv(options: {
  symbol: string;
  flags: { tick?: string | undefined; step?: string | undefined; "min-notional"?: string | undefined };
  cacheDir: string;
  binance: BinanceMarketDataOptions;
}): Promise<SymbolFilters> {
  const { symbol, flags } = options;
  const given = [flags.tick, flags.step, flags["min-notional"]];
  // Never another symbol's numbers: copied, they would size every trade wrongly.
  const how = `give ${symbol}'s own with --tick <price step> --step <quantity step> --min-notional <quote amount> (Binance's exchangeInfo for ${symbol}: PRICE_FILTER tickSize, LOT_SIZE stepSize, NOTIONAL minNotional)`;
  if (given.some((v) => v !== undefined)) {
    const [tick, step, minNotional] = given;
    for (const [name, value] of [
      ["--tick", tick],
      ["--step", step],
      ["--min-notional", minNotional],
    ] as const) {
      if (value === undefined || !STEP.test(value) || Number(value) <= 0)
        throw new UsageError(`${name} must be a positive decimal when filters are given by hand; ${how}`);
    }
    const quote = quoteOf(symbol);
    return {
      symbol,
      status: "TRADING",
      baseAsset: symbol.slice(0, -quote.length),
      quoteAsset: quote,
      tickSize: tick as string,
      stepSize: step as string,
      minQty: step as string,
      minNotional: minNotional as string,
    };
  }
  const file = join(sourceDir(options.cacheDir, options.binance), `${symbol}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as SymbolFilters;
  let filters: SymbolFilters;
  try {
    filters = await new BinanceMarketData({ ...options.binance, callTimeoutMs: 10_000 }).symbolFilters(
      symbol,
    );
  } catch (error) {
    throw new UsageError(
      `no exchange filters for ${symbol}: Binance's exchangeInfo could not be read (${(error as Error).name}: ${(error as Error).message}); ${how}`,
    );
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(filters));
  return filters;
}

/**
 * The cache of one source (Binance, or the stand-in or mirror BINANCE_BASE_URL names): a folder per
 * host, so that what a stand-in served never lands in the file a real run reads.
 */
function sourceDir(cacheDir: string, binance: BinanceMarketDataOptions): string {
  const host = new URL(binance.baseUrl ?? DEFAULT_BINANCE_BASE_URL).host;
  return join(cacheDir, host.replace(/[^A-Za-z0-9.-]/g, "_"));
}

/** Candles from a CSV in the fixture format: every row valid, no gaps at the timeframe. */
export async function candlesFromCsv(path: string, timeframe: Timeframe): Promise<Candle[]> {
  const { candles } = await readCandlesFile(path);
  const interval = timeframeMs(timeframe);
  // The whole file at another spacing is another timeframe, not a file full of gaps.
  const first =
    candles.length > 1 ? (candles[1] as Candle).openTime - (candles[0] as Candle).openTime : interval;
  const looksLike = TIMEFRAMES.find((t) => timeframeMs(t) === first);
  if (
    first !== interval &&
    looksLike &&
    candles.every((c, i) => i === 0 || c.openTime - (candles[i - 1] as Candle).openTime === first)
  )
    throw new InvalidCandlesError(
      `${path} holds ${looksLike} candles (every one ${looksLike} after the last), not ${timeframe}: run it with --timeframe ${looksLike}`,
    );
  for (let i = 1; i < candles.length; i++) {
    const step = (candles[i] as Candle).openTime - (candles[i - 1] as Candle).openTime;
    if (step !== interval) {
      throw new InvalidCandlesError(
        `line ${i + 2} of ${path}: ${step > interval ? `a gap of ${step / interval - 1} candle(s)` : "candles closer than the timeframe"} after the candle opening ${minuteUtc((candles[i - 1] as Candle).openTime)} (timeframe ${timeframe})`,
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
  const file = join(sourceDir(cacheDir, options.binance), `${symbol}-${timeframe}.json`);
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
    mkdirSync(dirname(file), { recursive: true });
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

/**
 * The candles a replay trades, from --csv (with its own symbol's filters) or from Binance (cached,
 * with the window's warm-up before --from): the candles, the symbol's filters, the index of the
 * first candle traded and one past the last.
 */
export async function tradedCandles(options: {
  symbol: string;
  timeframe: Timeframe;
  from: number | undefined;
  to: number | undefined;
  flags: {
    csv?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    tick?: string | undefined;
    step?: string | undefined;
    "min-notional"?: string | undefined;
  };
  window: number;
  dataDir: string;
  binance: BinanceMarketDataOptions;
}): Promise<{ candles: Candle[]; filters: SymbolFilters; firstIndex: number; end: number }> {
  const { symbol, timeframe, from, to, flags, dataDir } = options;
  const warmup = options.window - 1;
  const interval = timeframeMs(timeframe);

  let candles: Candle[];
  let filters: SymbolFilters;
  if (flags.csv) {
    const named = symbolOfFileName(flags.csv);
    if (named && named !== symbol)
      throw new UsageError(
        `--csv ${flags.csv} is named for ${named}, not --symbol ${symbol}: its candles would be traded as ${symbol}'s (rename the file, or give --symbol ${named})`,
      );
    candles = await candlesFromCsv(flags.csv, timeframe);
    filters = await filtersForCsv({
      symbol,
      flags,
      cacheDir: join(dataDir, "exchange-info"),
      binance: options.binance,
    });
  } else {
    if (from === undefined)
      throw new UsageError("--from is required when the candles come from Binance (or give --csv)");
    const fetched = await candlesFromBinance({
      symbol,
      timeframe,
      from: from - warmup * interval,
      to: to ?? Date.now(),
      cacheDir: join(dataDir, "candles"),
      binance: options.binance,
    });
    candles = fetched.candles;
    filters = fetched.filters;
  }
  const firstIndex = from === undefined ? warmup : candles.findIndex((c) => c.openTime >= from);
  const end = to === undefined ? candles.length : candles.findLastIndex((c) => c.openTime <= to) + 1;
  if (firstIndex < 0 || firstIndex >= end)
    throw new InvalidCandlesError(
      `no candle to trade between ${flags.from ?? "the start"} and ${flags.to ?? "the end"}`,
    );
  if (firstIndex < warmup) {
    throw new InvalidCandlesError(
      `the strategy needs ${warmup} candles before the first one traded; there are ${firstIndex} before ${flags.from ?? "it"}`,
    );
  }
  return { candles, filters, firstIndex, end };
}
