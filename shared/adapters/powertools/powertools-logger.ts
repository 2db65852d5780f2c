import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { Logger } from "../../application/ports/logger.ts";

/** The application's narrow logger over Powertools Logger (structured JSON lines). */
export function narrowLogger(logger: PowertoolsLogger): Logger {
  const at =
    (level: "debug" | "info" | "warn" | "error") =>
    (message: string, extra?: Record<string, unknown>): void => {
      if (extra) logger[level](message, extra);
      else logger[level](message);
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    appendKeys: (keys) => logger.appendKeys(keys),
  };
}
