import type { Timeframe } from "../../domain/market/timeframe.ts";
import { type CycleConfig, scheduledRequest, TradingCycle } from "../cycle/index.ts";
import type { AccountStore } from "../ports/account-repository.ts";
import type { AlertSender } from "../ports/alert-outbox.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";
import { silentLogger } from "../ports/logger.ts";
import type { MarketData } from "../ports/market-data.ts";
import { noMetrics } from "../ports/metrics.ts";

/**
 * The trading cycle for replays: the Lambda's cycle on market data in hand, no alerts, metrics or
 * logs, its clock at the close it runs for (so each event is the one that just fired).
 */
export function cycleAtClose(
  market: MarketData,
  account: { readonly repository: AccountStore; readonly outbox: AlertSender },
  config: CycleConfig,
) {
  let clock = 0;
  const cycle = new TradingCycle({
    market,
    repository: account.repository,
    outbox: account.outbox,
    alerts: { publish: async () => {} },
    metrics: noMetrics,
    logger: silentLogger,
    now: () => clock,
    config,
    recordBasis: false,
  });
  return (
    close: number,
    pair: { symbol: string; timeframe: Timeframe; accountId?: string },
  ): Promise<CycleResult> => {
    clock = close;
    return cycle.run(
      scheduledRequest({ ...pair, accountId: pair.accountId ?? config.defaultAccountId }, close),
    );
  };
}
