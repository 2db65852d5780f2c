import { createHash } from "node:crypto";
import type { AttributeMap, TransactOutcome } from "./transact-write.ts";

const WINDOW_MS = 10 * 60_000;

/**
 * DynamoDB's ClientRequestToken: within 10 minutes, a TransactWriteItems repeated with the same
 * token and the same body gets the first (successful) answer without running again, which is how
 * the SDK's retry of a request whose response was lost stays exactly-once; the same token with
 * another body is an IdempotentParameterMismatchException.
 */
export class IdempotentTransactions {
  readonly #seen = new Map<string, { digest: string; outcome: TransactOutcome; at: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async run(request: AttributeMap, execute: () => Promise<TransactOutcome>): Promise<TransactOutcome> {
    const token = request.ClientRequestToken;
    if (typeof token !== "string") return execute();
    const { ClientRequestToken: _token, ...body } = request;
    const digest = createHash("sha256").update(JSON.stringify(body)).digest("hex");
    this.#forgetOld();
    const seen = this.#seen.get(token);
    if (seen && seen.digest !== digest) {
      return {
        status: 400,
        body: {
          __type: "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
          message: "The request uses the same client token as a previous, but non-identical request.",
        },
      };
    }
    if (seen) return seen.outcome;
    const outcome = await execute();
    if (outcome.status === 200) this.#seen.set(token, { digest, outcome, at: this.#now() });
    return outcome;
  }

  #forgetOld() {
    const oldest = this.#now() - WINDOW_MS;
    for (const [token, { at }] of this.#seen) {
      if (at >= oldest) break;
      this.#seen.delete(token);
    }
  }
}
