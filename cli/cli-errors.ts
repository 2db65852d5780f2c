import { BinanceError } from "../shared/adapters/binance/binance-errors.ts";
import { ConfigurationError, TradingBotError } from "../shared/domain/errors.ts";
import { awsAccessAdvice } from "./aws-advice.ts";

/** A command line that cannot be run as written; the message says which argument and why. */
export class UsageError extends TradingBotError {
  override readonly name: string = "UsageError";
  readonly retryable = false;
}

/**
 * Runs a CLI's main function: usage errors exit 2, other errors 1, each printed once on stderr
 * (and what to do when AWS could not be reached or signed for) so nothing reaches stdout on failure.
 */
/**
 * An error as people read it: a mistake of theirs (a usage or configuration error) as "Error:" and
 * what to fix, no class name; anything else with its name, which is what a report of it needs.
 */
function forPeople(error: Error): string {
  const mistake = error instanceof UsageError || error instanceof ConfigurationError;
  return `${mistake ? "Error" : error.name}: ${error.message}`;
}

export async function runCli(main: () => Promise<number | undefined> | number | undefined): Promise<void> {
  // A reader that stopped reading (`npm run signals … | head`) ends the output, not with a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    process.stderr.write(`${forPeople(err)}\n`);
    // Advice follows the call that failed, not words in its message: only an AWS SDK call's failure
    // gets AWS's advice (Binance's own errors say what to set, BINANCE_BASE_URL).
    const advice = err instanceof BinanceError || !fromAws(err) ? undefined : awsAccessAdvice(err);
    if (advice) process.stderr.write(`AWS: ${advice}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}

/** The error (or one it wraps) came out of an AWS SDK call: the SDK marks its errors with $metadata, or names a missing region or credentials. */
function fromAws(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  if ("$metadata" in error) return true;
  if (
    /CredentialsProviderError|Region is missing|Region not accepted/i.test(`${error.name} ${error.message}`)
  )
    return true;
  return fromAws(error.cause, depth + 1);
}
