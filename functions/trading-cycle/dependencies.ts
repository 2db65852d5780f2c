import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { binanceOptionsFromEnv } from "../../shared/adapters/binance/binance-config.ts";
import { BinanceMarketData } from "../../shared/adapters/binance/binance-market-data.ts";
import { cycleConfigFromEnv, requiredEnv } from "../../shared/adapters/config/risk-settings.ts";
import { watchlistFromEnv } from "../../shared/adapters/config/watchlist.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { narrowLogger } from "../../shared/adapters/powertools/powertools-logger.ts";
import { PowertoolsMetricsAdapter } from "../../shared/adapters/powertools/powertools-metrics.ts";
import { createSnsClient, SnsAlertPublisher } from "../../shared/adapters/sns/sns-alert-publisher.ts";
import { strategyNamed } from "../../shared/adapters/strategies/registry.ts";
import { Deadline } from "../../shared/application/deadline.ts";
import { TradingCycle } from "../../shared/application/trading-cycle.ts";
import { ConfigurationError } from "../../shared/domain/errors.ts";

/**
 * The deployed function's wiring, read and validated once per container from the environment:
 * TABLE_NAME, ALERT_TOPIC_ARN and WATCHLIST (required), BINANCE_BASE_URL and its timeouts, ACCOUNT_ID,
 * INITIAL_BALANCE, FEE_RATE, MAX_OPEN_POSITIONS, STAKE_FRACTIONS, CYCLE_RETENTION_DAYS,
 * POWERTOOLS_METRICS_NAMESPACE. A missing or invalid variable fails the cold start, naming it.
 */
export function createDependencies(env: Record<string, string | undefined>) {
  const tableName = requiredEnv(env, "TABLE_NAME");
  const topicArn = requiredEnv(env, "ALERT_TOPIC_ARN");
  const retention = env.CYCLE_RETENTION_DAYS ? Number(env.CYCLE_RETENTION_DAYS) : 90;
  if (!Number.isInteger(retention) || retention < 1) {
    throw new ConfigurationError(
      `CYCLE_RETENTION_DAYS must be a whole number of days, got "${env.CYCLE_RETENTION_DAYS}"`,
    );
  }
  const settings = cycleConfigFromEnv(env);
  const config = {
    ...settings,
    watchlist: watchlistFromEnv(env, settings.defaultAccountId),
    resolveStrategy: (name: string, params: Readonly<Record<string, string | number>>) =>
      strategyNamed(name, params, "the event's"),
  };
  const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? "trading-cycle" });
  const metrics = new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? "FibonacciPaperTrader",
    serviceName: env.POWERTOOLS_SERVICE_NAME ?? "trading-cycle",
  });
  const log = narrowLogger(logger);
  // One deadline per invocation, set by the handler, read by every adapter call.
  const deadline = new Deadline();
  const cycle = new TradingCycle({
    market: new BinanceMarketData({ ...binanceOptionsFromEnv(env), logger: log, deadline }),
    repository: new DynamoDbAccountRepository({
      client: createDocumentClient(),
      tableName,
      cycleRetentionDays: retention,
      now: Date.now,
      deadline,
    }),
    alerts: new SnsAlertPublisher(createSnsClient(), topicArn, deadline),
    metrics: new PowertoolsMetricsAdapter(metrics),
    logger: log,
    now: Date.now,
    config,
    deadline,
  });
  return { cycle, logger, metrics };
}
