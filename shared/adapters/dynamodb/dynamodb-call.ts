import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { RepositoryUnavailableError } from "../../application/ports/account-repository.ts";

const CONFLICT_ATTEMPTS = 8;

/**
 * Runs one SDK call on `table`. A TransactionConflictException (a transaction held the item
 * meanwhile; the SDK does not retry it) is retried here; a condition that failed is the caller's
 * to map; any other failure gets the table and the action, retryable or not by the error's name.
 */
export async function callDynamoDb<T>(table: string, action: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const name = (error as Error).name;
      if (name === "ConditionalCheckFailedException" || error instanceof TransactionCanceledException)
        throw error;
      if (name === "TransactionConflictException" && attempt < CONFLICT_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(500, 20 * 2 ** attempt)));
        continue;
      }
      const message = `DynamoDB table ${table}: could not ${action}: ${name}: ${(error as Error).message}`;
      if (isRetryable(error as Error)) throw new RepositoryUnavailableError(message, { cause: error });
      throw new Error(message, { cause: error });
    }
  }
}

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

function isRetryable(error: Error & { code?: string; $metadata?: { httpStatusCode?: number } }): boolean {
  if (RETRYABLE_NAMES.has(error.name)) return true;
  if (
    typeof error.code === "string" &&
    /^(ECONN|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH)/.test(error.code)
  )
    return true;
  return (error.$metadata?.httpStatusCode ?? 0) >= 500;
}
