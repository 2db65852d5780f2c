import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { channelFromEnv, Notifier, type SnsRecord } from "../../shared/adapters/channels/notifier.ts";

/**
 * The alert notifier: one function per channel, subscribed to the alert topic with the channel's
 * filter policy. Reads the channel's secret from SSM Parameter Store once per container, sends
 * each alert (retries inside the invocation; Lambda does not retry it), and throws what it could
 * not deliver, so that it lands in the failure queue and its alarm goes off. It logs the channel's
 * name and the alert id, never the secret.
 */
const channel = channelFromEnv(process.env);
const ssm = new SSMClient({ maxAttempts: 3 });
const notifier = new Notifier(
  channel,
  async () => {
    const name = channel.secretParameter as string;
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    if (!Parameter?.Value) throw new Error(`the SSM parameter ${name} has no value`);
    return Parameter.Value;
  },
  process.env.TELEGRAM_API_URL ? { telegramApi: process.env.TELEGRAM_API_URL } : {},
);

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
