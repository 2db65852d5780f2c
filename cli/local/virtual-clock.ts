import { ConfigurationError } from "../../shared/domain/errors.ts";

/** The runner's clock: real time, or (for tests and demos) a clock started at a given time running faster. */
export interface Clock {
  now(): number;
  /** Waits until the clock reads `time` (or returns at once if it does already). */
  sleepUntil(time: number, signal: AbortSignal): Promise<void>;
}

/**
 * TRADER_CLOCK_START (ISO time) and TRADER_CLOCK_SPEED (×, default 1) make the local runner's
 * clock start at that time and run that much faster: candles then close every few seconds.
 */
export function clockFromEnv(env: Record<string, string | undefined>): Clock {
  const start = env.TRADER_CLOCK_START ? Date.parse(env.TRADER_CLOCK_START) : Number.NaN;
  const speed = env.TRADER_CLOCK_SPEED ? Number(env.TRADER_CLOCK_SPEED) : 1;
  if (env.TRADER_CLOCK_START && Number.isNaN(start)) {
    throw new ConfigurationError(
      `TRADER_CLOCK_START must be an ISO-8601 time, got "${env.TRADER_CLOCK_START}"`,
    );
  }
  if (!(speed > 0))
    throw new ConfigurationError(
      `TRADER_CLOCK_SPEED must be a positive number, got "${env.TRADER_CLOCK_SPEED}"`,
    );
  const origin = Date.now();
  const base = Number.isNaN(start) ? origin : start;
  const now = () => base + (Date.now() - origin) * speed;
  return {
    now,
    sleepUntil(time, signal) {
      return new Promise((resolve) => {
        if (signal.aborted) return resolve();
        const timer = setTimeout(done, Math.max(0, (time - now()) / speed));
        function done() {
          signal.removeEventListener("abort", done);
          clearTimeout(timer);
          resolve();
        }
        signal.addEventListener("abort", done, { once: true });
      });
    },
  };
}
