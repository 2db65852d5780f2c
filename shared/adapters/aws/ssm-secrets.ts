import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { TradingBotError } from "../../domain/errors.ts";

/** A channel's secret could not be read: what needed it fails (and is retried), the next call reads again. */
export class SecretUnreadableError extends TradingBotError {
  override readonly name: string = "SecretUnreadableError";
  readonly retryable = true;
}

/** What an SSM failure means for the person who set the channel up (SSM's own messages are often empty). */
export function secretProblem(name: string, error: Error): string {
  if (error.name === "ParameterNotFound")
    return `the SSM parameter ${name} does not exist in this account and region: put the channel's secret there (aws ssm put-parameter --type SecureString --name ${name} …; docs/alert-channels.md)`;
  if (/AccessDenied|KMS/i.test(error.name))
    return `this function may not read or decrypt the SSM parameter ${name} (${error.name}): it may read that parameter only, decrypted with the account's aws/ssm key; a customer-managed KMS key needs kms:Decrypt for this function's role`;
  return `could not read the SSM parameter ${name}: ${error.name}: ${error.message}`;
}

/**
 * Reads a SecureString parameter from SSM Parameter Store, decrypted, on every call (the caller
 * keeps it as long as it should: a rotated secret is read again). Each request gives up in 3 s
 * (1 s to connect), and never after `timeoutMs` (default 10 s).
 */
export function ssmSecretReader(
  client = new SSMClient({
    maxAttempts: 2,
    requestHandler: { requestTimeout: 3_000, connectionTimeout: 1_000 },
  }),
) {
  return async (name: string, timeoutMs = 10_000): Promise<string> => {
    let value: string | undefined;
    try {
      const { Parameter } = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }), {
        abortSignal: AbortSignal.timeout(Math.max(1, timeoutMs)),
      });
      value = Parameter?.Value;
    } catch (error) {
      throw new SecretUnreadableError(secretProblem(name, error as Error), { cause: error });
    }
    if (!value) throw new SecretUnreadableError(`the SSM parameter ${name} has no value`);
    return value;
  };
}

/** Each name read once per container; a read that failed is forgotten, so the next call reads again. */
export function readOnce(read: (name: string) => Promise<string>) {
  const known = new Map<string, Promise<string>>();
  return (name: string): Promise<string> => {
    const reading = known.get(name) ?? read(name);
    known.set(name, reading);
    reading.catch(() => known.delete(name));
    return reading;
  };
}
