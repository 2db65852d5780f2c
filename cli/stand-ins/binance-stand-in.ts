import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { TIMEFRAME_MS, type Timeframe } from "../../shared/domain/market/timeframe.ts";

/** A misbehaviour the server shows on the next matching request(s). */
export type Fault =
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { kind: "slow"; delayMs: number }
  | { kind: "truncated" }
  | { kind: "html" }
  | { kind: "reset" }
  /** Append the candle still forming even when endTime excludes it (a skewed upstream). */
  | { kind: "forming" };

export interface SymbolInfo {
  status: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  minNotional: string;
}

export const BNBUSDT_INFO: SymbolInfo = {
  status: "TRADING",
  baseAsset: "BNB",
  quoteAsset: "USDT",
  tickSize: "0.01000000",
  stepSize: "0.00100000",
  minQty: "0.00100000",
  minNotional: "5.00000000",
};

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
}

const WEIGHTS: Record<string, number> = {
  "/api/v3/klines": 2,
  "/api/v3/exchangeInfo": 20,
  "/api/v3/time": 1,
};
const decimal = (value: number) => value.toFixed(8);

/**
 * A local HTTP server on 127.0.0.1 that speaks Binance's REST wire format (klines, exchangeInfo,
 * time) over the candles it is given, with a settable clock and scripted faults. Like Binance, it
 * serves every candle that has opened by `now()`, the one still forming included.
 */
export class BinanceStandIn {
  readonly requests: RecordedRequest[] = [];
  /** The server's clock (epoch ms). */
  now: () => number = Date.now;
  /** Candles that closed less than this long ago are not served yet (Binance lagging). */
  lagMs = 0;
  #series = new Map<string, Candle[]>();
  #symbols = new Map<string, SymbolInfo>();
  #faults: { fault: Fault; path: string | undefined }[] = [];
  #weight = 0;
  #minute = -1;
  /**
   * Binance's limit per minute and IP, enforced when set: past it a request gets 429 with
   * Retry-After (the seconds to the next minute); one more request while told to wait gets 418
   * and a ban (Retry-After 120 s), as Binance does to clients that do not back off.
   */
  weightLimit: number | undefined;
  #retryAfterUntil = 0;
  #bannedUntil = 0;
  /** What the server counted: the heaviest minute, 429s and 418s sent. */
  readonly weightStats = { peakPerMinute: 0, status429: 0, status418: 0 };
  #server = createServer((req, res) => void this.#handle(req, res));
  url = "";

  static async start(): Promise<BinanceStandIn> {
    const server = new BinanceStandIn();
    await new Promise<void>((resolve) => server.#server.listen(0, "127.0.0.1", resolve));
    server.url = `http://127.0.0.1:${(server.#server.address() as AddressInfo).port}`;
    return server;
  }

  /** Serves `candles` for (symbol, timeframe); the symbol gets `info` in exchangeInfo. */
  serve(symbol: string, timeframe: Timeframe, candles: Candle[], info: SymbolInfo = BNBUSDT_INFO): this {
    this.#series.set(`${symbol}:${timeframe}`, candles);
    this.#symbols.set(symbol, info);
    return this;
  }

  /** The candles served for (symbol, timeframe), as served (shifted). */
  servedCandles(symbol: string, timeframe: Timeframe): Candle[] {
    return this.#series.get(`${symbol}:${timeframe}`) ?? [];
  }

  /** The next `times` requests (to `path`, or any) misbehave as `fault` says. */
  fail(fault: Fault, times = 1, path?: string): this {
    for (let i = 0; i < times; i++) this.#faults.push({ fault, path });
    return this;
  }

  /** Forgets the faults not yet shown. */
  clearFaults(): void {
    this.#faults.length = 0;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  reset(): void {
    this.requests.length = 0;
    this.#faults.length = 0;
    this.lagMs = 0;
    this.#weight = 0;
    this.weightLimit = undefined;
    this.#retryAfterUntil = 0;
    this.#bannedUntil = 0;
    Object.assign(this.weightStats, { peakPerMinute: 0, status429: 0, status418: 0 });
    this.now = Date.now;
    this.#series.clear();
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ path: url.pathname, query });
    // Counted per real minute, as Binance counts per IP (whatever the test's clock says).
    const real = performance.timeOrigin + performance.now();
    const minute = Math.floor(real / 60_000);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#weight = 0;
    }
    if (this.weightLimit !== undefined) {
      if (real < this.#bannedUntil || real < this.#retryAfterUntil) {
        // Asked to wait and did not: banned.
        this.#bannedUntil = Math.max(this.#bannedUntil, real + 120_000);
        this.weightStats.status418++;
        res.writeHead(418, { "retry-after": "120", "content-type": "application/json" });
        return void res.end('{"code":-1003,"msg":"Way too many requests; IP banned."}');
      }
    }
    this.#weight += WEIGHTS[url.pathname] ?? 1;
    this.weightStats.peakPerMinute = Math.max(this.weightStats.peakPerMinute, this.#weight);
    if (this.weightLimit !== undefined && this.#weight > this.weightLimit) {
      const seconds = Math.ceil(((minute + 1) * 60_000 - real) / 1000);
      this.#retryAfterUntil = real + seconds * 1000;
      this.weightStats.status429++;
      res.writeHead(429, { "retry-after": String(seconds), "content-type": "application/json" });
      return void res.end(
        '{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE."}',
      );
    }
    const headers = { "x-mbx-used-weight-1m": String(this.#weight) };
    const index = this.#faults.findIndex((f) => f.path === undefined || f.path === url.pathname);
    const fault = index >= 0 ? this.#faults.splice(index, 1)[0]?.fault : undefined;

    if (fault?.kind === "slow") await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.kind === "reset") return void req.socket.destroy();
    if (fault?.kind === "status") {
      res.writeHead(fault.status, {
        "content-type": "application/json;charset=UTF-8",
        ...headers,
        ...fault.headers,
      });
      return void res.end(fault.body ?? "");
    }
    if (fault?.kind === "html") {
      res.writeHead(200, { "content-type": "text/html", ...headers });
      return void res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    }
    const body = this.#route(url.pathname, query);
    if (res.headersSent || body === undefined) return;
    const text = JSON.stringify(fault?.kind === "forming" ? this.#withForming(body, query) : body.data);
    if (fault?.kind === "truncated") {
      res.writeHead(body.status, {
        "content-type": "application/json",
        "content-length": String(text.length),
        ...headers,
      });
      res.write(text.slice(0, text.length >> 1));
      return void setTimeout(() => req.socket.destroy(), 5);
    }
    res.writeHead(body.status, { "content-type": "application/json;charset=UTF-8", ...headers });
    res.end(text);
  }

  #route(path: string, query: Record<string, string>): { status: number; data: unknown } | undefined {
    if (path === "/api/v3/time") return { status: 200, data: { serverTime: this.now() } };
    if (path === "/api/v3/exchangeInfo") return this.#exchangeInfo(query.symbol ?? "");
    if (path === "/api/v3/klines") return this.#klines(query);
    return { status: 404, data: { code: -1000, msg: "Unknown path." } };
  }

  #exchangeInfo(symbol: string): { status: number; data: unknown } {
    const info = this.#symbols.get(symbol);
    if (!info) return { status: 400, data: { code: -1121, msg: "Invalid symbol." } };
    const filters = [
      {
        filterType: "PRICE_FILTER",
        minPrice: "0.01000000",
        maxPrice: "100000.00000000",
        tickSize: info.tickSize,
      },
      { filterType: "LOT_SIZE", minQty: info.minQty, maxQty: "900000.00000000", stepSize: info.stepSize },
      { filterType: "NOTIONAL", minNotional: info.minNotional, applyMinToMarket: true, avgPriceMins: 5 },
    ];
    const { status, baseAsset, quoteAsset } = info;
    return {
      status: 200,
      data: {
        timezone: "UTC",
        serverTime: this.now(),
        symbols: [{ symbol, status, baseAsset, quoteAsset, filters }],
      },
    };
  }

  #available(symbol: string, interval: string): Candle[] | undefined {
    const candles = this.#series.get(`${symbol}:${interval}`);
    if (!candles) return undefined;
    const ms = TIMEFRAME_MS[interval as Timeframe];
    const now = this.now();
    return candles.filter(
      (c) => c.openTime <= now && !(c.openTime + ms <= now && c.openTime + ms > now - this.lagMs),
    );
  }

  #klines(query: Record<string, string>): { status: number; data: unknown } {
    const symbol = query.symbol ?? "";
    const interval = query.interval ?? "";
    if (!this.#symbols.has(symbol)) return { status: 400, data: { code: -1121, msg: "Invalid symbol." } };
    if (!Object.hasOwn(TIMEFRAME_MS, interval))
      return { status: 400, data: { code: -1120, msg: "Invalid interval." } };
    const limit = Number(query.limit ?? 500);
    if (!(limit >= 1 && limit <= 1000))
      return { status: 400, data: { code: -1130, msg: "Invalid data sent for a parameter." } };
    let candles = this.#available(symbol, interval) ?? [];
    const start = query.startTime === undefined ? undefined : Number(query.startTime);
    const end = query.endTime === undefined ? undefined : Number(query.endTime);
    if (start !== undefined) candles = candles.filter((c) => c.openTime >= start);
    if (end !== undefined) candles = candles.filter((c) => c.openTime <= end);
    candles = start !== undefined ? candles.slice(0, limit) : candles.slice(-limit);
    const ms = TIMEFRAME_MS[interval as Timeframe];
    return { status: 200, data: candles.map((c) => toKline(c, ms)) };
  }

  #withForming(body: { data: unknown }, query: Record<string, string>): unknown {
    const all = this.#available(query.symbol ?? "", query.interval ?? "") ?? [];
    const forming = all.at(-1);
    const rows = body.data as unknown[];
    return forming ? [...rows, toKline(forming, TIMEFRAME_MS[query.interval as Timeframe])] : rows;
  }
}

/** A candle as Binance's 12-field kline row. */
function toKline(c: Candle, intervalMs: number): unknown[] {
  const quote = c.volume * c.close;
  return [
    c.openTime,
    decimal(c.open),
    decimal(c.high),
    decimal(c.low),
    decimal(c.close),
    decimal(c.volume),
    c.openTime + intervalMs - 1,
    decimal(quote),
    100,
    decimal(c.volume / 2),
    decimal(quote / 2),
    "0",
  ];
}

/**
 * Shifts candles in time (by a whole number of intervals, so they stay aligned) so that
 * `candles[index]` is the candle that closed last at `now`.
 */
export function shiftToClose(candles: Candle[], index: number, timeframe: Timeframe, now: number): Candle[] {
  const ms = TIMEFRAME_MS[timeframe];
  const target = (candles[index] as Candle).openTime;
  const offset = Math.floor(now / ms) * ms - ms - target;
  return candles.map((c) => ({ ...c, openTime: c.openTime + offset }));
}
