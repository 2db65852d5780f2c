import type { Logger } from "../../application/ports/logger.ts";
import { silentLogger } from "../../application/ports/logger.ts";
import { sleep } from "../sleep.ts";
import {
  BinanceApiError,
  type BinanceError,
  BinanceUnavailableError,
  InvalidIntervalError,
  InvalidSymbolError,
  MalformedResponseError,
  RateLimitedError,
  RegionBlockedError,
} from "./binance-errors.ts";
import { ENDPOINT_WEIGHT, WeightBudget } from "./weight-budget.ts";

export const DEFAULT_BINANCE_BASE_URL = "https://data-api.binance.vision";

export interface BinanceHttpOptions {
  /** Default https://data-api.binance.vision (market data only); BINANCE_BASE_URL overrides it. */
  readonly baseUrl?: string;
  /** The transport; default the runtime's fetch. */
  readonly fetch?: typeof fetch;
  /** One HTTP request, headers and body, at most this long. */
  readonly requestTimeoutMs?: number;
  /** Attempts for 5xx, resets and timeouts, the first included. */
  readonly maxAttempts?: number;
  /** The request weight this client spends per minute (default: its own, 90 % of Binance's 6,000). */
  readonly weightBudget?: WeightBudget;
  /** Backoff before retry k (1-based) is random in [0, min(max, base · 2^(k−1))]. */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly logger?: Logger;
}

export interface JsonResponse {
  readonly body: unknown;
  /** X-MBX-USED-WEIGHT-1M: request weight used this minute by our IP. */
  readonly usedWeight: number | undefined;
}

/**
 * GET requests to Binance's REST API: a timeout per request and a deadline per call, retries
 * with jittered exponential backoff for what may pass (5xx, resets, timeouts, a 429 whose
 * Retry-After fits the deadline), and a typed error for everything else.
 */
export class BinanceHttp {
  readonly baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #requestTimeoutMs: number;
  readonly #maxAttempts: number;
  readonly weightBudget: WeightBudget;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  readonly #logger: Logger;

  constructor(options: BinanceHttpOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_BINANCE_BASE_URL).replace(/\/+$/, "");
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.#maxAttempts = options.maxAttempts ?? 4;
    this.weightBudget = options.weightBudget ?? new WeightBudget();
    this.#backoffBaseMs = options.backoffBaseMs ?? 250;
    this.#backoffMaxMs = options.backoffMaxMs ?? 4_000;
    this.#logger = options.logger ?? silentLogger;
  }

  /** GETs `path` with `query` and parses JSON, retrying within `deadline` (a performance.now() time). */
  async getJson(path: string, query: Record<string, string>, deadline: number): Promise<JsonResponse> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(query)}`;
    let lastProblem = "no attempt was made";
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      let response: Response;
      let text: string;
      await this.weightBudget.reserve(ENDPOINT_WEIGHT[path] ?? 1, deadline);
      const signal = AbortSignal.timeout(
        Math.ceil(Math.min(this.#requestTimeoutMs, Math.max(1, deadline - performance.now()))),
      );
      try {
        response = await this.#fetch(url, { signal, headers: { accept: "application/json" } });
        text = await response.text();
      } catch (error) {
        lastProblem = describeNetworkError(error);
        // Each retry is a debug line: a call that fails in the end says so once, with its cause, in the cycle's error.
        this.#logger.debug("Binance request failed; retrying", { url, attempt, problem: lastProblem });
        if (!(await this.#backoff(attempt, deadline))) break;
        continue;
      }
      const usedWeight = parseWeight(response.headers.get("x-mbx-used-weight-1m"));
      this.weightBudget.observe(usedWeight);
      if (response.ok) return { body: parseJson(text, url), usedWeight };

      const failure = this.#classify(response, text, query);
      if (failure instanceof RateLimitedError)
        this.weightBudget.pause(failure.status, failure.retryAfterSeconds);
      if (failure instanceof RateLimitedError && failure.status === 429 && attempt < this.#maxAttempts) {
        const waitMs = (failure.retryAfterSeconds ?? 1) * 1000;
        if (performance.now() + waitMs < deadline) {
          // The budget holds this request (and every other of this client) until Retry-After.
          this.#logger.warn("Binance rate limit: waiting as asked", { url, waitMs, usedWeight });
          continue;
        }
      }
      if (failure) throw failure;
      lastProblem = `HTTP ${response.status}`;
      this.#logger.debug("Binance server error; retrying", { url, attempt, status: response.status });
      if (!(await this.#backoff(attempt, deadline))) break;
    }
    throw new BinanceUnavailableError(
      `Binance at ${this.baseUrl} (BINANCE_BASE_URL) is unavailable (${lastProblem}) for GET ${path}`,
    );
  }

  /** The error for a non-2xx response, or undefined when it is worth retrying (5xx). */
  #classify(response: Response, text: string, query: Record<string, string>): BinanceError | undefined {
    const status = response.status;
    if (status === 429 || status === 418) {
      const header = Number(response.headers.get("retry-after"));
      return new RateLimitedError(status, Number.isFinite(header) && header >= 0 ? header : undefined);
    }
    if (status === 451) return new RegionBlockedError(this.baseUrl);
    if (status >= 500) return undefined;
    const body = tryParseJson(text) as { code?: unknown; msg?: unknown } | undefined;
    if (typeof body?.code !== "number" || typeof body.msg !== "string") {
      return new MalformedResponseError(
        `Binance answered HTTP ${status} without an error body: ${snippet(text)}`,
      );
    }
    if (body.code === -1121) return new InvalidSymbolError(query.symbol ?? "");
    if (body.code === -1120) return new InvalidIntervalError(query.interval ?? "");
    return new BinanceApiError(body.code, body.msg, status);
  }

  /** Sleeps before the next attempt; false when no attempt or time is left for one. */
  async #backoff(attempt: number, deadline: number): Promise<boolean> {
    if (attempt >= this.#maxAttempts) return false;
    const cap = Math.min(this.#backoffMaxMs, this.#backoffBaseMs * 2 ** (attempt - 1));
    const delay = Math.random() * cap;
    if (performance.now() + delay >= deadline) return false;
    await sleep(delay);
    return true;
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return "request timed out";
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

function parseWeight(header: string | null): number | undefined {
  const weight = header === null ? Number.NaN : Number(header);
  return Number.isInteger(weight) ? weight : undefined;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}

function parseJson(text: string, url: string): unknown {
  const body = tryParseJson(text);
  if (body === undefined)
    throw new MalformedResponseError(
      `Binance answered ${url} with a body that is not JSON: ${snippet(text)}`,
    );
  return body;
}
