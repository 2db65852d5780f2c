/** Errors that another try later may not meet: capacity, DynamoDB's own faults, the network. */
const RETRYABLE_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TransactionConflictException",
  "TransactionInProgressException",
  "TimeoutError",
  "AbortError",
]);

export function isRetryable(
  error: Error & { code?: string; $metadata?: { httpStatusCode?: number } },
): boolean {
  if (RETRYABLE_NAMES.has(error.name)) return true;
  if (
    typeof error.code === "string" &&
    /^(ECONN|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH)/.test(error.code)
  )
    return true;
  return (error.$metadata?.httpStatusCode ?? 0) >= 500;
}
