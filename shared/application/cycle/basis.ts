import { createHash } from "node:crypto";
import type { Position } from "../../domain/account/account.ts";
import { isPaused, type Pause } from "../../domain/control/pause.ts";
import type { Candle } from "../../domain/market/candle.ts";
import type { RiskState } from "../../domain/trading/risk-state.ts";
import { pauseJson } from "../control/pause-json.ts";
import type { CycleBasis } from "../ports/cycle-record.ts";
import { positionJson, riskStateJson } from "../state-json.ts";

/**
 * The code that decides, as recorded with every cycle: the package's name and version (bumped
 * with every release that changes what a cycle decides). `npm run report` says "the code changed"
 * only when a record names another version than the one replaying it.
 */
export const CODE_VERSION = "fibonacci-paper-trader@0.1.0";

/** SHA-256 of candles as one line each: open time and OHLCV, numbers in their shortest form. */
export function windowDigest(candles: readonly Candle[]): string {
  const hash = createHash("sha256");
  for (const c of candles) hash.update(`${c.openTime},${c.open},${c.high},${c.low},${c.close},${c.volume}\n`);
  return hash.digest("hex");
}

export function cycleBasis(
  candles: readonly Candle[],
  accountVersion: number,
  after: Position | undefined,
  risk?: RiskState,
  /** The pause the cycle read (its entry refused), recorded so that a replay refuses it too. */
  paused?: Pause,
): CycleBasis {
  const last = candles.at(-1) as Candle;
  return {
    code: CODE_VERSION,
    candle: {
      openTime: last.openTime,
      open: last.open,
      high: last.high,
      low: last.low,
      close: last.close,
      volume: last.volume,
    },
    window: { from: (candles[0] as Candle).openTime, count: candles.length, sha256: windowDigest(candles) },
    accountVersion,
    positionAfter: after ? positionJson(after) : null,
    ...(risk ? { riskAfter: riskStateJson(risk) } : {}),
    ...(paused && isPaused(paused) ? { paused: JSON.parse(pauseJson(paused)) as Pause } : {}),
  };
}
