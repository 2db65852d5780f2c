import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { Metrics as PowertoolsMetrics } from "@aws-lambda-powertools/metrics";
import { BinanceMarketData } from "../../shared/adapters/binance/binance-market-data.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { dynamoDbAccount } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { narrowLogger } from "../../shared/adapters/powertools/powertools-logger.ts";
import { PowertoolsMetricsAdapter } from "../../shared/adapters/powertools/powertools-metrics.ts";
import { createSnsClient, SnsAlertPublisher } from "../../shared/adapters/sns/sns-alert-publisher.ts";
import { sendDigests } from "../../shared/application/alerts/daily-digest.ts";
import { deliverAlerts } from "../../shared/application/alerts/deliver-alerts.ts";
import {
  type CycleRequest,
  Deadline,
  parseCycleRequest,
  TradingCycle,
} from "../../shared/application/cycle/index.ts";
import { Rebalancer } from "../../shared/application/rebalance/rebalancer.ts";
import { ChannelAlerts, localChannelSenders } from "./channel-alerts.ts";
import type { LocalConfig } from "./local-config.ts";
import { LOCAL_TABLE, type LocalStore } from "./local-store.ts";
import { prettyLogger, quietMetrics } from "./pretty-logger.ts";
import { TerminalAlerts } from "./terminal-alerts.ts";
import type { Clock } from "./virtual-clock.ts";

/**
 * The trading cycle wired for one machine: the same cycle code and adapters as the Lambda,
 * the repository pointed at the embedded store, alerts to the terminal (and SNS when
 * ALERT_TOPIC_ARN is set), the same JSON log and metric lines (or --pretty ones).
 */
/** The local runner's own budget per cycle: a minute of work, then 10 s to alert a failure. */
const LOCAL_BUDGET = { workMs: 60_000, reserveMs: 10_000 };

export function createLocalCycle(options: {
  store: LocalStore;
  config: LocalConfig;
  clock: Clock;
  pretty: boolean;
  env: Record<string, string | undefined>;
  write: (text: string) => void;
}) {
  const { store, config, clock, pretty, env, write } = options;
  const powertoolsLogger = pretty ? undefined : new PowertoolsLogger({ serviceName: "trading-cycle" });
  const logger = powertoolsLogger ? narrowLogger(powertoolsLogger) : prettyLogger(write, clock.now);
  const powertoolsMetrics = pretty
    ? undefined
    : new PowertoolsMetrics({ namespace: config.settings.metricsNamespace, serviceName: "trading-cycle" });
  // Checked here, before anything runs: a channel without its secret is named at start.
  const channels = localChannelSenders(config.settings.alerts.channels, env);
  const snsClient = env.ALERT_TOPIC_ARN ? createSnsClient() : undefined;
  const market = new BinanceMarketData({ ...config.binance, now: clock.now, logger });
  const client = createDocumentClient(store.clientConfig);
  const table = { client, tableName: LOCAL_TABLE, cycleRetentionDays: config.settings.cycleRetentionDays };
  const { repository } = dynamoDbAccount(table);
  const metrics = powertoolsMetrics ? new PowertoolsMetricsAdapter(powertoolsMetrics) : quietMetrics;
  /** The publisher one cycle would use, for a delivery outside a cycle (a chat's forced exit). */
  const publisherNow = (deadline?: Deadline) => {
    const sns =
      snsClient && env.ALERT_TOPIC_ARN
        ? new SnsAlertPublisher(snsClient, env.ALERT_TOPIC_ARN, deadline)
        : undefined;
    return new TerminalAlerts(
      write,
      channels.length
        ? new ChannelAlerts(channels, sns, (message) =>
            logger.error("Alert refused by its channel", { message }),
          )
        : sns,
    );
  };
  /** One cycle's run: a new deadline (a minute of work, then 10 s to alert a failure), the adapters bound to it. */
  const cycleNow = () => {
    const deadline = new Deadline(LOCAL_BUDGET.workMs, LOCAL_BUDGET.reserveMs);
    const account = dynamoDbAccount({ ...table, deadline });
    return new TradingCycle({
      market: market.withDeadline(deadline),
      repository: account.repository,
      outbox: account.outbox,
      alerts: publisherNow(deadline),
      metrics,
      logger,
      now: clock.now,
      config: config.cycle,
      deadline,
    });
  };
  return {
    market,
    repository,
    logger,
    /** Sends what the account's outbox holds, as a cycle does after its commit. */
    deliver(accountId: string) {
      const { outbox } = dynamoDbAccount(table);
      return deliverAlerts({ outbox, alerts: publisherNow(), logger, now: clock.now }, accountId);
    },
    /** Every trading account's daily digest, to the terminal and the channels. */
    async digest(scheduledTime?: number) {
      try {
        const deadline = new Deadline(LOCAL_BUDGET.workMs, LOCAL_BUDGET.reserveMs);
        const { history, outbox } = dynamoDbAccount({ ...table, deadline });
        const deps = { history, outbox, alerts: publisherNow(deadline), logger, now: clock.now };
        return await sendDigests(
          { ...deps, config: config.cycle, baskets: config.settings.rebalancing },
          scheduledTime,
        );
      } finally {
        if (powertoolsMetrics?.hasStoredMetrics()) powertoolsMetrics.publishStoredMetrics(); // no "No application metrics" warning per quiet close
      }
    },
    /** One rebalance of a rebalancing account, as its deployed rule asks for it. */
    async rebalance(accountId: string, scheduledTime: number, dryRun = false) {
      powertoolsLogger?.resetKeys(); // a cycle's keys (symbol, candle) are not the rebalance's
      const deadline = new Deadline(LOCAL_BUDGET.workMs, LOCAL_BUDGET.reserveMs);
      const account = dynamoDbAccount({ ...table, deadline });
      try {
        return await new Rebalancer({
          market: market.withDeadline(deadline),
          repository: account.repository,
          outbox: account.outbox,
          alerts: publisherNow(deadline),
          logger,
          metrics,
          now: clock.now,
          baskets: config.settings.rebalancing,
          quoteAsset: config.cycle.quoteAsset,
          maxEventDelayMs: config.cycle.maxEventDelayMs,
          deadline,
        }).run({ accountId, scheduledTime, dryRun });
      } finally {
        if (powertoolsMetrics?.hasStoredMetrics()) powertoolsMetrics.publishStoredMetrics();
      }
    },
    /** Resets per-cycle log keys and writes the buffered metrics, as the handler does per invocation. */
    async run(event: unknown) {
      powertoolsLogger?.resetKeys();
      try {
        // The entrance: the event parsed here, the use case takes a typed request.
        const cycle = cycleNow();
        let request: CycleRequest;
        try {
          request = parseCycleRequest(event, options.config.cycle.defaultAccountId);
        } catch (error) {
          return cycle.refuseInvalid(event, error);
        }
        return await cycle.run(request);
      } finally {
        if (powertoolsMetrics?.hasStoredMetrics()) powertoolsMetrics.publishStoredMetrics(); // no "No application metrics" warning per quiet close
      }
    },
  };
}
