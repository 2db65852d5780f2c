import { Logger } from "@aws-lambda-powertools/logger";
import { readOnce, ssmSecretReader } from "../../shared/adapters/aws/ssm-secrets.ts";
import { binanceOptionsFromEnv } from "../../shared/adapters/binance/binance-config.ts";
import { BinanceMarketData } from "../../shared/adapters/binance/binance-market-data.ts";
import { channelFromEnv } from "../../shared/adapters/channels/notifier.ts";
import { publicOnlyFetch } from "../../shared/adapters/channels/pinned-fetch.ts";
import { cycleConfigOf, requiredEnv, settingsFromEnv } from "../../shared/adapters/config/settings.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { dynamoDbAccount } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { narrowLogger } from "../../shared/adapters/powertools/powertools-logger.ts";
import { createSnsClient, SnsAlertPublisher } from "../../shared/adapters/sns/sns-alert-publisher.ts";
import { telegramGateway } from "../../shared/adapters/telegram/telegram-gateway.ts";
import { TelegramReplies } from "../../shared/adapters/telegram/telegram-replies.ts";
import { deliverAlerts } from "../../shared/application/alerts/deliver-alerts.ts";
import type { GatewayDeps } from "../../shared/application/commands/handle-message.ts";
import { ConfigurationError } from "../../shared/domain/errors.ts";

declare const __TRADING_BOT_SETTINGS__: string | undefined;

/**
 * The commands function's wiring, once per container: TABLE_NAME, ALERT_TOPIC_ARN, TRADING_BOT
 * (the settings), CHANNEL (the Telegram channel with commands on); the bot token and the webhook's
 * secret token are read from SSM Parameter Store when first needed, never from the environment.
 */
export function createDependencies(env: Record<string, string | undefined>) {
  const tableName = requiredEnv(env, "TABLE_NAME");
  const topicArn = requiredEnv(env, "ALERT_TOPIC_ARN");
  // A watchlist too large for the environment was built into the bundle at synth, as the trading function's.
  const bundled = typeof __TRADING_BOT_SETTINGS__ === "string" ? __TRADING_BOT_SETTINGS__ : undefined;
  const settings = settingsFromEnv(bundled && !env.TRADING_BOT ? { ...env, TRADING_BOT: bundled } : env);
  const config = cycleConfigOf(settings);
  const channel = channelFromEnv(env);
  if (channel.type !== "telegram" || !channel.commands || !channel.webhookSecretParameter)
    throw new ConfigurationError(`CHANNEL ${channel.name} is not a Telegram channel with commands`);
  const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? "telegram-commands" });
  const log = narrowLogger(logger);
  const dynamodb = createDocumentClient();
  const account = dynamoDbAccount({
    client: dynamodb,
    tableName,
    cycleRetentionDays: settings.cycleRetentionDays,
  });
  const readSecret = ssmSecretReader();
  const secret = readOnce((name) => readSecret(name));
  const inLambda = env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  const market = new BinanceMarketData({
    ...binanceOptionsFromEnv({ ...env, BINANCE_BASE_URL: env.BINANCE_BASE_URL || settings.binanceBaseUrl }),
    logger: log,
  });
  const alerts = new SnsAlertPublisher(createSnsClient(), topicArn);
  const gateway = async (): Promise<GatewayDeps> =>
    telegramGateway({
      client: dynamodb,
      tableName,
      cycleRetentionDays: settings.cycleRetentionDays,
      market,
      config,
      now: Date.now,
      deliver: (id) => deliverAlerts({ outbox: account.outbox, alerts, logger: log, now: Date.now }, id),
      replies: new TelegramReplies({
        token: await secret(channel.secretParameter as string),
        ...(env.TELEGRAM_API_URL ? { api: env.TELEGRAM_API_URL } : {}),
        ...(inLambda ? { fetch: publicOnlyFetch() } : {}),
      }),
      allowedChats: channel.allowedChats,
      logger: log,
    });
  return { gateway, logger, webhookSecret: () => secret(channel.webhookSecretParameter as string) };
}
