import { pausedWhy } from "../../domain/control/pause.ts";
import { lastClosedOpenTime, timeframeMs } from "../../domain/market/timeframe.ts";
import type { ConfiguredStrategy } from "../../domain/strategies/strategy.ts";
import { decideCycle } from "../../domain/trading/decide-cycle.ts";
import { alertFailureOnce, deliverAlerts, tradeAlerts } from "../alerts/deliver-alerts.ts";
import {
  type AccountStore,
  DuplicateCycleError,
  RepositoryUnavailableError,
  StaleCycleError,
} from "../ports/account-repository.ts";
import type { AlertSender } from "../ports/alert-outbox.ts";
import type { AlertPublisher } from "../ports/alerts.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";
import type { Logger } from "../ports/logger.ts";
import type { MarketData } from "../ports/market-data.ts";
import type { Metrics } from "../ports/metrics.ts";
import { accountState } from "./account-state.ts";
import { cycleCommit } from "./commit.ts";
import type { CycleConfig } from "./config.ts";
import { type Deadline, DeadlineExceededError } from "./deadline.ts";
import { echoedEvent, errorView, failedResult, invalidEventResult, ranOutOfTime } from "./errors.ts";
import { candleCount, candlesToCheck, evaluateBatch } from "./evaluate-batch.ts";
import { CycleFilters } from "./filters.ts";
import { emitCycleMetrics } from "./metrics.ts";
import { cycleSettings } from "./recorded-settings.ts";
import { type CycleRequest, InvalidRequestError } from "./request.ts";
import { candleView, decisionView, duplicate, signalView } from "./result.ts";
import { retryOnConflict } from "./retry-on-conflict.ts";
import { signalsCycle } from "./signals-cycle.ts";
import { FutureEventError, LateEventError, timeRefusal } from "./time-guard.ts";
import { accountKeepMs, pairName, rulesFor, strategyFor, unmanaged } from "./watchlist-guard.ts";

export interface TradingCycleDeps {
  readonly market: MarketData & { readonly usedWeight?: number | undefined };
  readonly repository: AccountStore;
  /** The account's alerts on their way out (in DynamoDB, the same table's outbox items). */
  readonly outbox: AlertSender;
  readonly alerts: AlertPublisher;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Wall clock, epoch ms. */
  readonly now: () => number;
  readonly config: CycleConfig;
  /**
   * The invocation's time, created where it started and given to the adapters built with this
   * cycle (absent: no limit, as in the backtest). One cycle object per invocation.
   */
  readonly deadline?: Deadline;
  /** Record what each cycle decided on (its basis) for `npm run report`; a replay needs none. Default true. */
  readonly recordBasis?: boolean;
}

/**
 * The orchestrator: one cycle for one (symbol, timeframe) pair, the same code in Lambda, the
 * local runner and the backtest (the order of its files: README.md beside this one).
 * 1. Take the request its adapter parsed (`parseCycleRequest`: unknown fields refused); refuse a
 *    live event for a pair the watchlist does not schedule, a candle that has not closed, and a
 *    live event that comes too late.
 * 2. Fetch the last closed candles, ending with the one that just closed, and the symbol's
 *    filters; a symbol quoted in another asset than the account's is refused.
 * 3. Exits first, on every candle since the position was last checked.
 * 4. The strategy's signal: SELL closes, BUY opens when the rules allow (and Binance trades the symbol).
 * 5. Commit the candle atomically, once (a second delivery gets the first outcome), only if no later
 *    candle of the pair was committed; its trades' alerts are queued in the same transaction.
 * 6. Send what the account's outbox holds, emit metrics, log, return the result.
 * A dry run does 1–4 and writes and sends nothing. Nothing throws out of `run`: a failure is a
 * `failed` result whose error says whether retrying can help; a refused event is `stale`.
 */
export class TradingCycle {
  readonly #deps: TradingCycleDeps;

  constructor(deps: TradingCycleDeps) {
    this.#deps = deps;
  }

  /** An event its adapter could not parse: a failed result, logged and counted as invalid; nothing read or written. */
  refuseInvalid(event: unknown, error: unknown): CycleResult {
    const result = { ...invalidEventResult(event, error), durationMs: 0 };
    this.#deps.logger.error("Invalid cycle request", { event: echoedEvent(event), error: result.error });
    emitCycleMetrics(this.#deps.metrics, result, {});
    return result;
  }

  /** One cycle for a request its adapter parsed (parseCycleRequest). */
  async run(request: CycleRequest): Promise<CycleResult> {
    const { logger, metrics, now, config } = this.#deps;
    const started = performance.now();
    const closedBy = request.scheduledTime ?? now();
    const candleTime = lastClosedOpenTime(closedBy, request.timeframe);
    logger.appendKeys?.({
      symbol: request.symbol,
      timeframe: request.timeframe,
      // One time convention: a candle by its close (UTC).
      candle: new Date(candleTime + timeframeMs(request.timeframe)).toISOString(),
    });
    const { deadline } = this.#deps;
    let result: CycleResult;
    try {
      // The watchlist first: an event for a pair nobody scheduled is invalid, late or not, and writes nothing.
      const strategy = strategyFor(request, config);
      const refusal = timeRefusal(request, candleTime, now(), config);
      if (refusal) throw refusal;
      const work =
        request.mode === "signals"
          ? signalsCycle(this.#deps, request, strategy, closedBy, candleTime)
          : this.#cycle(request, strategy, closedBy, candleTime);
      result = await (deadline ? deadline.race(work, "the cycle") : work);
    } catch (error) {
      const outOfTime = deadline !== undefined && deadline.remainingMs() <= 0;
      deadline?.useReserve();
      result = await this.#unsuccessful(request, candleTime, outOfTime ? ranOutOfTime(error) : error);
    }
    // What the commit queued (and any older alert of the account) leaves the outbox now.
    if (!request.dryRun && result.status !== "failed") {
      result = { ...result, alerts: await deliverAlerts(this.#deps, result.accountId) };
    }
    result = { ...result, durationMs: elapsed(started) };
    const closeToEndMs = result.candle ? now() - Date.parse(result.candle.closeTime) : undefined;
    emitCycleMetrics(metrics, result, { closeToEndMs, binanceWeight: this.#deps.market.usedWeight });
    // One line with the whole result: "Cycle failed" (an error) or "Cycle finished".
    if (result.status === "failed") logger.error("Cycle failed", { result });
    else logger.info("Cycle finished", { result });
    return result;
  }

  /** A refused event answers `stale` and sends nothing; a failure alerts once per candle. */
  async #unsuccessful(request: CycleRequest, candleTime: number, error: unknown) {
    const { logger } = this.#deps;
    const result = failedResult(request, error);
    if (
      error instanceof StaleCycleError ||
      error instanceof LateEventError ||
      error instanceof FutureEventError
    ) {
      logger.warn("Cycle refused", { error: result.error });
      // A live candle that can never be traded now leaves a note, so a report can say why it has no record.
      if (!request.dryRun && request.mode === "trade" && !(error instanceof FutureEventError)) {
        await this.#deps.repository
          .noteRefusal(
            request.accountId,
            request.symbol,
            request.timeframe,
            candleTime,
            result.error?.type ?? "",
          )
          .catch((noteError: unknown) => logger.warn("Refusal not noted", { error: String(noteError) }));
      }
      return { ...result, status: "stale" as const };
    }
    if (error instanceof InvalidRequestError) {
      logger.warn("Invalid cycle request", { error: result.error });
      return result;
    }
    logger.error("Cycle failed", { error: result.error });
    if (request.dryRun) return result;
    try {
      const closeTime = candleTime + timeframeMs(request.timeframe);
      // When the store itself failed, the alert goes out directly: waiting on it again would spend the reserve.
      const storeDown =
        error instanceof RepositoryUnavailableError ||
        (error instanceof DeadlineExceededError && error.cause instanceof RepositoryUnavailableError);
      const alerts = await alertFailureOnce(
        this.#deps,
        request,
        candleTime,
        closeTime,
        result.error ?? errorView(error),
        storeDown,
      );
      return { ...result, alerts };
    } catch (alertError) {
      logger.error("Failure alert not sent", { error: String(alertError) });
      return result;
    }
  }

  async #cycle(
    request: CycleRequest,
    strategy: ConfiguredStrategy,
    closedBy: number,
    candleTime: number,
  ): Promise<CycleResult> {
    const { market, repository, config, now } = this.#deps;
    if (!request.dryRun) {
      const existing = await repository.findCycle(
        request.accountId,
        request.symbol,
        request.timeframe,
        candleTime,
      );
      if (existing) return duplicate(existing.outcome);
    }
    const { symbol, timeframe } = request;
    const batch = await market.closedCandles({
      symbol,
      timeframe,
      count: candleCount(strategy, config),
      closedBy,
    });
    const candles = batch.candles;
    const { signal, candle } = evaluateBatch(request, strategy, batch, config.window, candleTime);
    const rules = rulesFor(request, config);
    const filters = new CycleFilters(market, symbol, config.quoteAsset);
    await filters.forSignal(signal.action);
    try {
      const result = await retryOnConflict(async () => {
        const state = await accountState(repository, config, request, now());
        const pair = state.positions.find((p) => p.symbol === symbol && p.timeframe === timeframe);
        await filters.forAccount(pair !== undefined, state.account.quoteAsset);
        const exitCandles = await candlesToCheck(market, pair, candles, request);
        const decision = decideCycle({
          symbol,
          timeframe,
          candles: exitCandles,
          signal,
          account: state.account,
          positions: state.positions,
          steps: filters.steps(state.account.quoteAsset),
          rules,
          // Read inside the retried decision: a pause that lands before the commit refuses the entry.
          entryBlocked: filters.entryBlocked ?? pausedWhy(state.account.paused, pairName(symbol, timeframe)),
          accountKeepMs: accountKeepMs(request.accountId, config),
        });
        const result: CycleResult = {
          status: "ok",
          dryRun: request.dryRun,
          symbol,
          timeframe,
          accountId: request.accountId,
          candle: candleView(candle, timeframe),
          signal: signalView(signal),
          ...decisionView(decision),
          ...unmanaged(state, config, request.accountId),
          strategy: strategy.name,
          durationMs: 0,
        };
        const alerts = tradeAlerts(decision, {
          accountId: request.accountId,
          symbol,
          timeframe,
          candleTime: candle.openTime,
          closedAt: candle.openTime + timeframeMs(timeframe),
          precision: filters.precision,
          signalReason: signal.reason,
          usdtFree: decision.freeQuote,
          equity: decision.equity,
        });
        if (!request.dryRun) {
          const settings = cycleSettings(strategy, config, timeframe, rules);
          const window = this.#deps.recordBasis === false ? undefined : candles;
          await repository.commitCycle(
            cycleCommit(
              request,
              candle,
              state,
              decision,
              result,
              alerts,
              now(),
              settings,
              filters.used,
              window,
            ),
          );
        }
        return result;
      }, config.retry);
      return result;
    } catch (error) {
      if (error instanceof DuplicateCycleError) return duplicate(error.existing.outcome);
      throw error;
    }
  }
}

/** How far ahead of this clock a digest's time may be (another machine's clock). */

const elapsed = (started: number) => Math.round(performance.now() - started);
