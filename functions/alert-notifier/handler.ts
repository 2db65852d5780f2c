import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { channelFromEnv, Notifier, type SnsRecord } from "../../shared/adapters/channels/notifier.ts";
import { TradingBotError } from "../../shared/domain/errors.ts";

/**
 * The alert notifier: one function per channel, subscribed to the alert topic with the channel's
 * filter policy. Reads the channel's secret from SSM Parameter Store once per container, sends
 * each alert (retries inside the invocation; Lambda does not retry it), and throws what it could
 * not deliver, so that it lands in the failure queue and its alarm goes off. It logs the channel's
 * name and the alert id, never the secret.
 */
const channel = channelFromEnv(process.env);
// Each request gives up in 3 s (1 s to connect), and never past the invocation's time left.
const ssm = new SSMClient({
  maxAttempts: 2,
  requestHandler: { requestTimeout: 3_000, connectionTimeout: 1_000 },
});
const notifier = new Notifier(
  channel,
  async (remainingMs) => {
    const name = channel.secretParameter as string;
    const left = remainingMs ? Math.max(1, remainingMs()) : 10_000;
    try {
      const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }), {
        abortSignal: AbortSignal.timeout(left),
      });
      if (Parameter?.Value) return Parameter.Value;
    } catch (error) {
      throw new SecretUnreadableError(secretProblem(name, error as Error), { cause: error });
    }
    throw new SecretUnreadableError(`the SSM parameter ${name} has no value`);
  },
  {
    ...(process.env.TELEGRAM_API_URL ? { telegramApi: process.env.TELEGRAM_API_URL } : {}),
    inLambda: process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined,
  },
);

/** The channel's secret could not be read: the alert goes to the failure queue, the next delivery reads again. */
class SecretUnreadableError extends TradingBotError {
  override readonly name: string = "SecretUnreadableError";
  readonly retryable = true;
}

/** What an SSM failure means for the person who set the channel up (SSM's own messages are often empty). */
function secretProblem(name: string, error: Error): string {
  if (error.name === "ParameterNotFound")
    return `the SSM parameter ${name} does not exist in this account and region: put the channel's secret there (aws ssm put-parameter --type SecureString --name ${name} …; docs/alert-channels.md)`;
  if (/AccessDenied|KMS/i.test(error.name))
    return `this function may not read or decrypt the SSM parameter ${name} (${error.name}): it may read that parameter only, decrypted with the account's aws/ssm key; a customer-managed KMS key needs kms:Decrypt for this function's role`;
  return `could not read the SSM parameter ${name}: ${error.name}: ${error.message}`;
}

/** Keeps 2 s to return before Lambda's timeout. */
const SAFETY_MS = 2_000;

const log = (level: "INFO" | "ERROR", message: string, fields: Record<string, unknown>) =>
  console.log(JSON.stringify({ level, message, channel: channel.name, ...fields }));

export async function handler(
  event: { Records?: readonly SnsRecord[] },
  context?: { getRemainingTimeInMillis?: () => number },
): Promise<{ sent: number; repeats: number }> {
  const records = event.Records ?? [];
  const remaining = context?.getRemainingTimeInMillis
    ? () => (context.getRemainingTimeInMillis?.() ?? 0) - SAFETY_MS
    : undefined;
  try {
    const outcomes = await notifier.deliver(records, remaining);
    const sent = outcomes.filter((o) => o === "sent").length;
    log("INFO", "Alerts delivered", { sent, repeats: outcomes.length - sent });
    return { sent, repeats: outcomes.length - sent };
  } catch (error) {
    const { name, message } = error as Error;
    log("ERROR", "Alert not delivered", { error: { name, message } });
    throw error;
  }
}
