/** An instant (epoch ms) as ISO-8601 UTC with milliseconds: the one machine form of a time (JSON, keys, messages). */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** An instant to the minute, for people: "2025-05-18 20:00 UTC" (the one human form of a time). */
export const minuteUtc = (ms: number): string => `${iso(ms).slice(0, 16).replace("T", " ")} UTC`;
