import { sleep } from "../sleep.ts";
import { BinanceError, RateLimitedError } from "./binance-errors.ts";

/** Binance's request weight per minute and IP (REQUEST_WEIGHT in exchangeInfo's rateLimits). */
export const WEIGHT_PER_MINUTE = 6_000;

/** What each endpoint costs (Binance's published weights). */
export const ENDPOINT_WEIGHT: Readonly<Record<string, number>> = {
  "/api/v3/klines": 2,
  "/api/v3/exchangeInfo": 20,
  "/api/v3/time": 1,
};

/** The weight left this minute is too little, and waiting for the next one does not fit the time left. */
export class WeightBudgetError extends BinanceError {
  override readonly name: string = "WeightBudgetError";
  readonly retryable = true;
}

/**
 * The request weight this client may still spend, per minute window (Binance counts per UTC
 * minute and IP, and reports the IP's count in X-MBX-USED-WEIGHT-1M). Before each request it waits
 * for the next minute when the request would pass `share` of the limit — slowing down before
 * Binance refuses, not after. After a 429 every request waits the Retry-After; after a 418 (an IP
 * ban) none is sent until the ban ends: they fail at once, so nothing retries into a ban.
 */
export class WeightBudget {
  readonly #limit: number;
  readonly #now: () => number;
  #minute = -1;
  #used = 0;
  #pausedUntil = 0;
  #bannedUntil = 0;
  /** What the budget did, for the benchmark and the logs. */
  readonly stats = { waits: 0, waitedMs: 0, paused: 0 };

  readonly #sleep: (ms: number) => Promise<void>;

  constructor(
    options: {
      limitPerMinute?: number;
      share?: number;
      now?: () => number;
      sleep?: (ms: number) => Promise<void>;
    } = {},
  ) {
    this.#sleep = options.sleep ?? sleep;
    this.#limit = Math.floor((options.limitPerMinute ?? WEIGHT_PER_MINUTE) * (options.share ?? 0.9));
    // Real time (Binance's minute windows), whatever a test does to Date.
    this.#now = options.now ?? (() => performance.timeOrigin + performance.now());
  }

  #roll(now: number) {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#used = 0;
    }
  }

  /** Waits until `weight` may be spent; `deadline` is a performance.now() time it must not pass. */
  async reserve(weight: number, deadline: number): Promise<void> {
    for (;;) {
      const now = this.#now();
      if (now < this.#bannedUntil)
        throw new RateLimitedError(418, Math.ceil((this.#bannedUntil - now) / 1000));
      this.#roll(now);
      let waitMs = 0;
      if (now < this.#pausedUntil) waitMs = this.#pausedUntil - now;
      else if (this.#used + weight > this.#limit)
        waitMs = (this.#minute + 1) * 60_000 - now + Math.random() * 500;
      if (waitMs <= 0) {
        this.#used += weight;
        return;
      }
      if (performance.now() + waitMs >= deadline)
        throw new WeightBudgetError(
          `Binance request weight: ${this.#used} of the ${this.#limit} this client allows itself this minute are used; the next window opens in ${Math.ceil(waitMs / 1000)} s, after this call's time`,
        );
      this.stats.waits++;
      this.stats.waitedMs += waitMs;
      await this.#sleep(waitMs);
    }
  }

  /** The IP's weight this minute, as Binance reported it with a response: it counts every client on the IP. */
  observe(usedWeight: number | undefined): void {
    if (usedWeight === undefined) return;
    this.#roll(this.#now());
    this.#used = usedWeight;
  }

  /** A 429 (wait) or 418 (banned): no request of this client goes out before `retryAfterSeconds`. */
  pause(status: 429 | 418, retryAfterSeconds: number | undefined): void {
    const until = this.#now() + (retryAfterSeconds ?? (status === 418 ? 120 : 1)) * 1000;
    this.stats.paused++;
    if (status === 418) this.#bannedUntil = Math.max(this.#bannedUntil, until);
    else this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }
}
