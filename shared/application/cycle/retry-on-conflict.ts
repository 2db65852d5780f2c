import { VersionConflictError } from "../ports/account-repository.ts";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** The wait before retry k is random in [0, min(maxDelayMs, baseDelayMs · 2^k)]. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 30, baseDelayMs: 10, maxDelayMs: 500 };

/**
 * Runs `work` (read, decide, commit) again when another writer got there first, with jittered
 * exponential backoff, a bounded number of times. Each attempt decides on fresh state, so no
 * update is lost and no decision is made on stale data.
 */
export async function retryOnConflict<T>(
  work: (attempt: number) => Promise<T>,
  policy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= policy.attempts) throw error;
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
    }
  }
}
