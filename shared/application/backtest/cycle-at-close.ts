import type { CycleConfig } from "../cycle/config.ts";
import { TradingCycle } from "../cycle/trading-cycle.ts";
import type { AccountRepository } from "../ports/account-repository.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";
import { silentLogger } from "../ports/logger.ts";
import type { MarketData } from "../ports/market-data.ts";
import { noMetrics } from "../ports/metrics.ts";

/**
 * The trading cycle for replays: the Lambda's cycle on market data in hand, no alerts, metrics or
 * logs, its clock at the close it runs for (so each event is the one that just fired).
 */
export function cycleAtClose(market: MarketData, repository: AccountRepository, config: CycleConfig) {
  let clock = 0;
  const cycle = new TradingCycle({
    market,
    repository,
    alerts: { publish: async () => {} },
    metrics: noMetrics,
    logger: silentLogger,
    now: () => clock,
    config,
    recordBasis: false,
  });
  return (close: number, event: Record<string, unknown>): Promise<CycleResult> => {
    clock = close;
    return cycle.run({ ...event, scheduledTime: new Date(close).toISOString() });
  };
}
