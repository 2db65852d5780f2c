import type { Logger } from "../../shared/application/ports/logger.ts";
import type { Metrics } from "../../shared/application/ports/metrics.ts";

/** Log lines for people (--pretty): time, level, message, then the context that matters. */
export function prettyLogger(write: (text: string) => void, now: () => number): Logger {
  let keys: Record<string, unknown> = {};
  const line = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    const context = { ...keys, ...extra };
    delete context.result;
    const details = Object.entries(context)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    write(
      `${new Date(now()).toISOString().slice(11, 19)} ${level.padEnd(5)} ${message}${details ? `  ${details}` : ""}\n`,
    );
  };
  return {
    debug() {},
    info: line("INFO"),
    warn: line("WARN"),
    error: line("ERROR"),
    appendKeys(more) {
      keys = { ...keys, ...more };
    },
  };
}

/** --pretty leaves the embedded-metric-format lines out. */
export const quietMetrics: Metrics = { add() {} };
