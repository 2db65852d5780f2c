import type { Deadline } from "../../application/cycle/index.ts";
import type { Logger } from "../../application/ports/logger.ts";
import { silentLogger } from "../../application/ports/logger.ts";
import type {
  CandleBatch,
  CandleGap,
  CandleRangeRequest,
  ClosedCandlesRequest,
  MarketData,
  SymbolFilters,
} from "../../application/ports/market-data.ts";
import type { Candle } from "../../domain/market/candle.ts";
import { lastClosedOpenTime, type Timeframe, timeframeMs } from "../../domain/market/timeframe.ts";
import { iso } from "../../domain/market/utc.ts";
import { sleep } from "../sleep.ts";
import { MalformedResponseError, StaleDataError } from "./binance-errors.ts";
import { BinanceHttp, type BinanceHttpOptions } from "./binance-http.ts";
import { parseSymbolFilters } from "./exchange-info-parser.ts";
import { type Kline, parseKlines } from "./kline-parser.ts";

const MAX_KLINES_PER_REQUEST = 1000;

export interface BinanceMarketDataOptions extends BinanceHttpOptions {
  /** The wall clock (epoch ms), to drop the candle still forming; injectable for tests. */
  readonly now?: () => number;
  /** Time budget of one call, retries and waits for a lagging candle included. */
  readonly callTimeoutMs?: number;
  /** How long to wait between asks when the candle that just closed is not served yet. */
  readonly staleRetryMs?: number;
  /** The invocation's deadline: no call outlives it, whatever its own budget. */
  readonly deadline?: Deadline;
  /** How long a symbol's exchange filters are reused (they change rarely): default 10 minutes. */
  readonly filtersTtlMs?: number;
}

/** Market data from Binance's public REST API: closed candles only, strictly parsed. */
export class BinanceMarketData implements MarketData {
  readonly #http: BinanceHttp;
  readonly #now: () => number;
  readonly #callTimeoutMs: number;
  readonly #staleRetryMs: number;
  readonly #logger: Logger;
  readonly #deadline: Deadline | undefined;
  readonly #filtersTtlMs: number;
  readonly #filters: Map<string, { until: number; value: Promise<SymbolFilters> }>;
  readonly #options: BinanceMarketDataOptions;
  /** The last X-MBX-USED-WEIGHT-1M Binance reported to this instance. */
  usedWeight: number | undefined;

  constructor(
    options: BinanceMarketDataOptions = {},
    shared?: { http: BinanceHttp; filters: Map<string, { until: number; value: Promise<SymbolFilters> }> },
  ) {
    this.#options = options;
    this.#http = shared?.http ?? new BinanceHttp(options);
    this.#filters = shared?.filters ?? new Map();
    this.#now = options.now ?? Date.now;
    this.#callTimeoutMs = options.callTimeoutMs ?? 20_000;
    this.#staleRetryMs = options.staleRetryMs ?? 1_000;
    this.#logger = options.logger ?? silentLogger;
    this.#deadline = options.deadline;
    this.#filtersTtlMs = options.filtersTtlMs ?? 600_000;
  }

  /**
   * The same client for one invocation: its calls end by `deadline`; the connection, the weight
   * budget and the kept exchange filters are the container's, shared.
   */
  withDeadline(deadline: Deadline): BinanceMarketData {
    return new BinanceMarketData(
      { ...this.#options, deadline },
      { http: this.#http, filters: this.#filters },
    );
  }

  /** When a call must be done: its own budget, or the invocation's deadline if sooner. */
  #callDeadline(): number {
    return Math.min(performance.now() + this.#callTimeoutMs, this.#deadline?.at ?? Number.POSITIVE_INFINITY);
  }

  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /**
   * The `count` closed candles ending with the one that closed at or before `closedBy`.
   * When that candle is not served yet, asks again until the call's budget is spent, then
   * throws StaleDataError: an older window is never returned in its place.
   */
  async closedCandles({ symbol, timeframe, count, closedBy }: ClosedCandlesRequest): Promise<CandleBatch> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_KLINES_PER_REQUEST) {
      throw new RangeError(`count must be 1..${MAX_KLINES_PER_REQUEST}, got ${count}`);
    }
    const interval = timeframeMs(timeframe);
    const deadline = this.#callDeadline();
    // A candle closed by T opened at or before T − interval; Binance filters on open time.
    const query = { symbol, interval: timeframe, endTime: String(closedBy - interval), limit: String(count) };
    for (;;) {
      const klines = await this.#klines(query, Math.min(closedBy, this.#now()), deadline);
      const last = klines.at(-1);
      if (last && last.openTime + 2 * interval > closedBy)
        return this.#batch(klines, interval, `${symbol} ${timeframe}`);
      // The next candle has closed too (or none has): Binance lags behind the close. A feed more
      // than two intervals behind is not a lag that waiting cures: it is said at once.
      const wanted = lastClosedOpenTime(closedBy, timeframe);
      const farBehind = !last || wanted - last.openTime > 2 * interval;
      if (farBehind || performance.now() + this.#staleRetryMs + this.#staleRetryMs >= deadline) {
        const latest = last ? `the latest closed one opened at ${iso(last.openTime)}` : "none is served";
        throw new StaleDataError(
          `${symbol} ${timeframe}: the candle that closed by ${iso(closedBy)} is not served yet; ${latest}`,
        );
      }
      this.#logger.info("Binance has not served the candle that just closed yet; asking again", {
        symbol,
        timeframe,
        closedBy: iso(closedBy),
      });
      await sleep(this.#staleRetryMs);
    }
  }

  /** Every closed candle with open time in [from, to], paginated by startTime. */
  async candleRange({ symbol, timeframe, from, to, onProgress }: CandleRangeRequest): Promise<CandleBatch> {
    const interval = timeframeMs(timeframe);
    const closedBefore = this.#now();
    const expected = Math.max(0, Math.floor((Math.min(to, closedBefore - interval) - from) / interval) + 1);
    const all: Kline[] = [];
    let start = from;
    while (start <= to) {
      const deadline = this.#callDeadline();
      const query = {
        symbol,
        interval: timeframe,
        startTime: String(start),
        endTime: String(to),
        limit: String(MAX_KLINES_PER_REQUEST),
      };
      const page = await this.#klines(query, closedBefore, deadline);
      const first = page[0];
      const previous = all.at(-1);
      if (first && previous && first.openTime <= previous.openTime) {
        throw new MalformedResponseError(
          `${symbol} ${timeframe}: page starting ${iso(start)} overlaps the previous page`,
        );
      }
      all.push(...page);
      onProgress?.(all.length, expected);
      const last = page.at(-1);
      if (!last || page.length < MAX_KLINES_PER_REQUEST) break;
      start = last.openTime + interval;
    }
    return this.#batch(all, interval, `${symbol} ${timeframe}`);
  }

  /**
   * The symbol's exchange filters, kept for `filtersTtlMs` (a container's cycles within a close, and
   * the next ones, cost Binance 20 weight once, not every time); a failed read is not kept.
   */
  symbolFilters(symbol: string, options: { readonly fresh?: boolean } = {}): Promise<SymbolFilters> {
    const now = this.#now();
    const cached = this.#filters.get(symbol);
    if (!options.fresh && cached && cached.until > now && now >= cached.until - this.#filtersTtlMs)
      return cached.value;
    const value = this.#readFilters(symbol);
    this.#filters.set(symbol, { until: now + this.#filtersTtlMs, value });
    value.catch(() => this.#filters.delete(symbol));
    return value;
  }

  async #readFilters(symbol: string): Promise<SymbolFilters> {
    const deadline = this.#callDeadline();
    const { body, usedWeight } = await this.#http.getJson("/api/v3/exchangeInfo", { symbol }, deadline);
    this.usedWeight = usedWeight ?? this.usedWeight;
    return parseSymbolFilters(body, symbol);
  }

  /** One klines request; keeps only the candles that closed by `closedBy`. */
  async #klines(query: Record<string, string>, closedBy: number, deadline: number): Promise<Kline[]> {
    const { body, usedWeight } = await this.#http.getJson("/api/v3/klines", query, deadline);
    this.usedWeight = usedWeight ?? this.usedWeight;
    const klines = parseKlines(body, `klines ${query.symbol} ${query.interval}`, query.interval as Timeframe);
    return klines.filter((k) => k.closeTime < closedBy);
  }

  #batch(klines: Kline[], interval: number, label: string): CandleBatch {
    const gaps: CandleGap[] = [];
    const candles: Candle[] = klines.map(({ closeTime: _, ...candle }) => candle);
    for (let i = 1; i < candles.length; i++) {
      const after = (candles[i - 1] as Candle).openTime;
      const before = (candles[i] as Candle).openTime;
      if (before - after !== interval)
        gaps.push({ after, before, missing: Math.round((before - after) / interval) - 1 });
    }
    if (gaps.length > 0) {
      this.#logger.warn("Binance's candles have gaps (exchange downtime)", {
        pair: label,
        gaps: gaps.map((g) => `${iso(g.after)} → ${iso(g.before)} (${g.missing} missing)`),
      });
    }
    return { candles, gaps, ...(this.usedWeight === undefined ? {} : { usedWeight: this.usedWeight }) };
  }
}
