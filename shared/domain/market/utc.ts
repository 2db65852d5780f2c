/** An instant (epoch ms) as ISO-8601 UTC with milliseconds: the one machine form of a time (JSON, keys, messages). */
export const iso = (ms: number): string => new Date(ms).toISOString();
