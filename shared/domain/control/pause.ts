/** Who paused, and when (epoch ms). */
export interface PauseMark {
  readonly since: number;
  /** For people: "/pause in Telegram chat 123456789". */
  readonly by: string;
}

/**
 * New entries stopped by a person (/pause): on the whole account, or on some of its pairs
 * ("BNBUSDT 4h"). Exits, stops, take-profits and alerts go on; only a BUY is refused.
 */
export interface Pause {
  readonly all?: PauseMark | undefined;
  readonly pairs: Readonly<Record<string, PauseMark>>;
}

const NOT_PAUSED: Pause = Object.freeze({ pairs: Object.freeze({}) });

const minute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** Why a pair may not open a position now, or undefined. */
export function pausedWhy(pause: Pause | undefined, pair: string): string | undefined {
  const mark = pause?.all ?? pause?.pairs[pair];
  if (!mark) return undefined;
  return `paused by ${mark.by} at ${minute(mark.since)}${pause?.all ? " (the whole account)" : ""}: no new entries until /resume`;
}

/** The pause after `/pause <pair|all>`. */
export function pausing(pause: Pause | undefined, target: string | "all", mark: PauseMark): Pause {
  const current = pause ?? NOT_PAUSED;
  if (target === "all") return { ...current, all: current.all ?? mark };
  return { ...current, pairs: { ...current.pairs, [target]: current.pairs[target] ?? mark } };
}

/** The pause after `/resume <pair|all>` ("all" lifts every pause). */
export function resuming(pause: Pause | undefined, target: string | "all"): Pause {
  const current = pause ?? NOT_PAUSED;
  if (target === "all") return NOT_PAUSED;
  const { [target]: _, ...rest } = current.pairs;
  return { ...current, pairs: rest };
}

export const isPaused = (pause: Pause | undefined) =>
  pause !== undefined && (pause.all !== undefined || Object.keys(pause.pairs).length > 0);
