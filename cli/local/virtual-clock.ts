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
        let timer: ReturnType<typeof setTimeout>;
        // Timers run on a monotonic clock and round to the millisecond: one can fire a moment
        // before the wall clock reads `time` (at 1,800× a millisecond is 1.8 s). Never wake early.
        const arm = () => {
          timer = setTimeout(check, Math.max(1, Math.ceil((time - now()) / speed)));
        };
        function check() {
          if (now() < time && !signal.aborted) return arm();
          done();
        }
        function done() {
          signal.removeEventListener("abort", done);
          clearTimeout(timer);
          resolve();
        }
        signal.addEventListener("abort", done, { once: true });
        if (now() >= time) return done();
        arm();
      });
    },
  };
}
