import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { binanceOptionsFromEnv } from "../../shared/adapters/binance/binance-config.ts";
import { BinanceMarketData } from "../../shared/adapters/binance/binance-market-data.ts";
import { cycleConfigOf, requiredEnv, settingsFromEnv } from "../../shared/adapters/config/settings.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { dynamoDbAccount } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { narrowLogger } from "../../shared/adapters/powertools/powertools-logger.ts";
import { PowertoolsMetricsAdapter } from "../../shared/adapters/powertools/powertools-metrics.ts";
import { createSnsClient, SnsAlertPublisher } from "../../shared/adapters/sns/sns-alert-publisher.ts";
import { sendDigests } from "../../shared/application/alerts/daily-digest.ts";
import { type Deadline, TradingCycle } from "../../shared/application/cycle/index.ts";
import { Rebalancer } from "../../shared/application/rebalance/rebalancer.ts";

declare const __TRADING_BOT_SETTINGS__: string | undefined;

/**
 * The deployed function's wiring, read and validated once per container from the environment:
 * TABLE_NAME, ALERT_TOPIC_ARN and TRADING_BOT (the settings, as cdk.json's tradingBot: see
 * shared/adapters/config/settings.ts) are required; BINANCE_BASE_URL (overrides the setting) and
 * its timeouts, POWERTOOLS_METRICS_NAMESPACE. A missing or invalid variable fails the cold start, naming it.
 */
export function createDependencies(env: Record<string, string | undefined>) {
  const tableName = requiredEnv(env, "TABLE_NAME");
  const topicArn = requiredEnv(env, "ALERT_TOPIC_ARN");
  // A watchlist too large for the environment was built into the bundle at synth (infra/trading-function.ts).
  const bundled = typeof __TRADING_BOT_SETTINGS__ === "string" ? __TRADING_BOT_SETTINGS__ : undefined;
  const settings = settingsFromEnv(bundled && !env.TRADING_BOT ? { ...env, TRADING_BOT: bundled } : env);
  const config = cycleConfigOf(settings);
  const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? "trading-cycle" });
  // Its own notices (a digest records no metric) in the same JSON lines as ours.
  const metrics = new Metrics({
    logger,
    namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? settings.metricsNamespace,
    serviceName: env.POWERTOOLS_SERVICE_NAME ?? "trading-cycle",
  });
  const log = narrowLogger(logger);
  // Clients once per container; the adapters that carry an invocation's deadline, per invocation.
  const dynamodb = createDocumentClient();
  const sns = createSnsClient();
  const market = new BinanceMarketData({
    ...binanceOptionsFromEnv({ ...env, BINANCE_BASE_URL: env.BINANCE_BASE_URL || settings.binanceBaseUrl }),
    logger: log,
  });
  const powertools = new PowertoolsMetricsAdapter(metrics);
  /** The cycle and the digests of one invocation, every adapter bound to the deadline the handler created for it. */
  const invocation = (deadline: Deadline) => {
    const table = { client: dynamodb, tableName, cycleRetentionDays: settings.cycleRetentionDays, deadline };
    const account = dynamoDbAccount(table);
    const alerts = new SnsAlertPublisher(sns, topicArn, deadline);
    const cycle = new TradingCycle({
      market: market.withDeadline(deadline),
      repository: account.repository,
      outbox: account.outbox,
      alerts,
      metrics: powertools,
      logger: log,
      now: Date.now,
      config,
      deadline,
    });
    const rebalancer = new Rebalancer({
      market: market.withDeadline(deadline),
      repository: account.repository,
      outbox: account.outbox,
      alerts,
      logger: log,
      metrics: powertools,
      now: Date.now,
      baskets: settings.rebalancing,
      quoteAsset: config.quoteAsset,
      maxEventDelayMs: config.maxEventDelayMs,
      deadline,
    });
    const digests = (scheduledTime?: number) =>
      sendDigests(
        {
          history: account.history,
          outbox: account.outbox,
          alerts,
          logger: log,
          now: Date.now,
          config,
          baskets: settings.rebalancing,
        },
        scheduledTime,
      );
    return { cycle, digests, rebalancer };
  };
  return { invocation, logger, metrics, defaultAccountId: config.defaultAccountId };
}
