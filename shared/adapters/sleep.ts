/** Waits `ms` milliseconds (the global timer, so tests' fake timers drive it). */
export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));
