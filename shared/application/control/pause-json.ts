import type { Pause, PauseMark } from "../../domain/control/pause.ts";

/** A pause as JSON (how the account item and the cycle records keep it), and back, checking every field. */
export const pauseJson = (pause: Pause): string => JSON.stringify(pause);

export function pauseFromJson(value: unknown, where: string): Pause {
  const bad = (what: string): never => {
    throw new TypeError(`${where}: the pause ${what}`);
  };
  const json = (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>;
  if (typeof json !== "object" || json === null) return bad("is not an object");
  const mark = (m: unknown, what: string): PauseMark => {
    const v = m as PauseMark;
    if (typeof v !== "object" || v === null || !Number.isSafeInteger(v.since) || typeof v.by !== "string")
      return bad(`has a malformed ${what}`);
    return { since: v.since, by: v.by };
  };
  const pairs = json.pairs;
  if (typeof pairs !== "object" || pairs === null || Array.isArray(pairs)) return bad("lacks its pairs");
  return {
    ...(json.all === undefined ? {} : { all: mark(json.all, "account-wide pause") }),
    pairs: Object.fromEntries(Object.entries(pairs).map(([k, m]) => [k, mark(m, `pause of ${k}`)])),
  };
}
