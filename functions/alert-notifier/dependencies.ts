import { Logger } from "@aws-lambda-powertools/logger";
import { ssmSecretReader } from "../../shared/adapters/aws/ssm-secrets.ts";
import { channelFromEnv, Notifier } from "../../shared/adapters/channels/notifier.ts";

/**
 * The notifier's wiring, once per container: CHANNEL (the channel, as cdk.json's
 * alerts.channels entry), TELEGRAM_API_URL (tests' stand-in). The channel's secret is read from
 * SSM Parameter Store by the first delivery, never from the environment.
 */
export function createDependencies(env: Record<string, string | undefined>) {
  const channel = channelFromEnv(env);
  const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? "alert-notifier" });
  // Every line names the channel (never its secret).
  logger.appendPersistentKeys({ channel: channel.name });
  const readSecret = ssmSecretReader();
  const notifier = new Notifier(
    channel,
    (remainingMs) => readSecret(channel.secretParameter as string, remainingMs ? remainingMs() : undefined),
    {
      ...(env.TELEGRAM_API_URL ? { telegramApi: env.TELEGRAM_API_URL } : {}),
      inLambda: env.AWS_LAMBDA_FUNCTION_NAME !== undefined,
    },
  );
  return { notifier, logger };
}
