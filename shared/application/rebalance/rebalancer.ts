import { newAccount } from "../../domain/account/account.ts";
import { sumMovements } from "../../domain/account/ledger.ts";
import { lastClosedOpenTime, timeframeMs } from "../../domain/market/timeframe.ts";
import { ZERO } from "../../domain/money/decimal.ts";
import {
  type Basket,
  isRebalanceClose,
  REBALANCE_PAIR,
  scheduleText,
} from "../../domain/rebalance/basket.ts";
import { planRebalance } from "../../domain/rebalance/orders.ts";
import { alertFailureOnce, deliverAlerts } from "../alerts/deliver-alerts.ts";
import {
  type Deadline,
  emitCycleMetrics,
  errorView,
  InvalidRequestError,
  LateEventError,
  retryOnConflict,
} from "../cycle/index.ts";
import { type AccountStore, DuplicateCycleError, StaleCycleError } from "../ports/account-repository.ts";
import type { AlertSender } from "../ports/alert-outbox.ts";
import type { AlertPublisher } from "../ports/alerts.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";
import type { Logger } from "../ports/logger.ts";
import type { MarketData } from "../ports/market-data.ts";
import type { Metrics } from "../ports/metrics.ts";
import { readLegs } from "./read-legs.ts";
import { rebalanceAlert } from "./rebalance-alert.ts";
import type { RebalanceRequest } from "./rebalance-request.ts";
import { resultOf } from "./rebalance-result.ts";

export interface RebalanceDeps {
  readonly market: MarketData & { readonly usedWeight?: number | undefined };
  readonly repository: AccountStore;
  readonly outbox: AlertSender;
  readonly alerts: AlertPublisher;
  readonly logger: Logger;
  /** The cycle's series (a rebalance is counted as a cycle: heartbeat, failures, fills as legs). */
  readonly metrics: Metrics;
  /** Wall clock, epoch ms. */
  readonly now: () => number;
  /** The configured rebalancing accounts (tradingBot.rebalancing). */
  readonly baskets: readonly Basket[];
  readonly quoteAsset: string;
  /** How late a live event may come after its close, beyond one interval (as a cycle's). */
  readonly maxEventDelayMs: number;
  readonly deadline?: Deadline;
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * One rebalance of one account at one scheduled close: the same guarantees as a cycle. It runs
 * once per scheduled time (a second delivery answers the first outcome), only forward (a close not
 * after the last one committed is refused), never on a late or future event; it reads the closed
 * candle of every leg at that time (a leg missing or refused: the whole rebalance waits, nothing
 * partial), plans the legs (sells first, then buys, to the exchange's steps) and commits every leg,
 * the record and one alert in one transaction; then the outbox is delivered.
 */
export class Rebalancer {
  readonly #deps: RebalanceDeps;

  constructor(deps: RebalanceDeps) {
    this.#deps = deps;
  }

  async run(request: RebalanceRequest): Promise<CycleResult> {
    const { now, logger } = this.#deps;
    const started = performance.now();
    const basket = this.#deps.baskets.find((b) => b.accountId === request.accountId);
    const timeframe = basket?.timeframe ?? "1d";
    const candleTime = lastClosedOpenTime(request.scheduledTime ?? now(), timeframe);
    const base: CycleResult = {
      status: "ok",
      dryRun: request.dryRun,
      symbol: REBALANCE_PAIR,
      timeframe,
      accountId: request.accountId,
      strategy: "rebalance",
      exits: [],
      entry: null,
      position: null,
      durationMs: 0,
    };
    let result: CycleResult;
    try {
      if (!basket)
        throw new InvalidRequestError(
          `${request.accountId} is not a rebalancing account (tradingBot.rebalancing names ${this.#deps.baskets.map((b) => b.accountId).join(", ") || "none"})`,
        );
      const work = this.#rebalance(request, basket, candleTime, base);
      result = await (this.#deps.deadline ? this.#deps.deadline.race(work, "the rebalance") : work);
    } catch (error) {
      result = await this.#unsuccessful(request, base, candleTime, error);
    }
    if (!request.dryRun && result.status !== "failed" && basket)
      result = { ...result, alerts: await deliverAlerts(this.#deps, request.accountId) };
    result = { ...result, durationMs: Math.round(performance.now() - started) };
    if (result.status === "failed") logger.error("Rebalance failed", { result });
    else logger.info("Rebalance finished", { result });
    const closeToEndMs = now() - (candleTime + timeframeMs(timeframe));
    emitCycleMetrics(this.#deps.metrics, result, {
      closeToEndMs,
      binanceWeight: this.#deps.market.usedWeight,
    });
    return result;
  }

  async #rebalance(
    request: RebalanceRequest,
    basket: Basket,
    candleTime: number,
    base: CycleResult,
  ): Promise<CycleResult> {
    const { market, repository, now, quoteAsset } = this.#deps;
    const interval = timeframeMs(basket.timeframe);
    const close = candleTime + interval;
    if (request.scheduledTime !== undefined && !request.dryRun) {
      if (now() - close > this.#deps.maxEventDelayMs + interval) {
        await repository.noteRefusal(
          request.accountId,
          REBALANCE_PAIR,
          basket.timeframe,
          candleTime,
          "LateEventError",
        );
        return {
          ...base,
          status: "stale",
          error: errorView(
            new LateEventError(
              `the rebalance of ${iso(close)} comes more than ${(this.#deps.maxEventDelayMs + interval) / 60_000} minutes late (now ${iso(now())}); a live rebalance trades only the close that just passed`,
            ),
          ),
        };
      }
    }
    if (!isRebalanceClose(basket, close))
      return {
        ...base,
        signal: {
          action: "HOLD",
          reason: `not a scheduled time: the account rebalances at ${scheduleText(basket)}`,
          close: iso(close),
        },
      };
    if (!request.dryRun) {
      const existing = await repository.findCycle(
        request.accountId,
        REBALANCE_PAIR,
        basket.timeframe,
        candleTime,
      );
      if (existing) return { ...existing.outcome, status: "duplicate" };
    }
    const { legs, targets } = await readLegs(market, basket, candleTime, quoteAsset);
    return retryOnConflict(async () => {
      const state = (await repository.loadState(request.accountId)) ?? {
        account: request.dryRun
          ? newAccount(request.accountId, basket.initialBalance, new Date(now()), quoteAsset)
          : await repository.openAccount(
              request.accountId,
              basket.initialBalance,
              new Date(now()),
              quoteAsset,
            ),
        positions: [],
      };
      const plan = planRebalance({
        basket,
        balances: state.account.balances,
        quoteAsset,
        legs,
        targets,
        candleTime,
      });
      const cashAfter = (state.account.balances[quoteAsset] ?? ZERO).plus(
        sumMovements(plan.trades)[quoteAsset] ?? ZERO,
      );
      const result = resultOf(base, plan, cashAfter, close, legs, targets, basket);
      if (request.dryRun) return result;
      const alerts = plan.trades.length
        ? [
            rebalanceAlert({
              accountId: request.accountId,
              timeframe: basket.timeframe,
              candleTime,
              closedAt: close,
              quoteAsset,
              plan,
            }),
          ]
        : [];
      await repository.commitCycle({
        cycle: {
          accountId: request.accountId,
          symbol: REBALANCE_PAIR,
          timeframe: basket.timeframe,
          candleTime,
          action: plan.trades.length ? "REBALANCE" : "HOLD",
          outcome: result,
          recordedAt: new Date(now()).toISOString(),
        },
        expectedVersion: state.account.version,
        trades: plan.trades,
        alerts,
      });
      return result;
    });
  }

  async #unsuccessful(
    request: RebalanceRequest,
    base: CycleResult,
    candleTime: number,
    error: unknown,
  ): Promise<CycleResult> {
    const { logger, repository } = this.#deps;
    if (error instanceof DuplicateCycleError) return { ...error.existing.outcome, status: "duplicate" };
    const result: CycleResult = { ...base, status: "failed", error: errorView(error) };
    if (error instanceof StaleCycleError) {
      if (!request.dryRun)
        await repository
          .noteRefusal(request.accountId, REBALANCE_PAIR, base.timeframe, candleTime, "StaleCycleError")
          .catch((e: unknown) => logger.warn("Refusal not noted", { error: String(e) }));
      return { ...result, status: "stale" };
    }
    if (error instanceof InvalidRequestError || request.dryRun) return result;
    try {
      const close = candleTime + timeframeMs(base.timeframe);
      const pair = { accountId: request.accountId, symbol: REBALANCE_PAIR, timeframe: base.timeframe };
      return {
        ...result,
        alerts: await alertFailureOnce(this.#deps, pair, candleTime, close, errorView(error)),
      };
    } catch (alertError) {
      logger.error("Failure alert not sent", { error: String(alertError) });
      return result;
    }
  }
}
