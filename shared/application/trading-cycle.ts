import { newAccount, type Position } from "../domain/account/account.ts";
import { TradingBotError } from "../domain/errors.ts";
import type { Candle } from "../domain/market/candle.ts";
import { toCandleSeries } from "../domain/market/candle-series.ts";
import { lastClosedOpenTime, timeframeMs } from "../domain/market/timeframe.ts";
import { dec, stepPlaces } from "../domain/money/decimal.ts";
import { evaluateWindow } from "../domain/strategy/fibonacci-golden-zone.ts";
import { minimumCandles } from "../domain/strategy/strategy-params.ts";
import { type CycleDecision, decideCycle } from "../domain/trading/decide-cycle.ts";
import type { MarketSteps } from "../domain/trading/fills.ts";
import { alertFailureOnce, publishAll, tradeAlerts } from "./cycle-alerts.ts";
import type { CycleConfig } from "./cycle-config.ts";
import {
  checkQuoteAsset,
  checkScheduled,
  FutureEventError,
  LateEventError,
  pairName,
  timeRefusal,
} from "./cycle-guards.ts";
import { emitCycleMetrics } from "./cycle-metrics.ts";
import { type CycleRequest, parseCycleRequest } from "./cycle-request.ts";
import { type CycleResult, candleView, decisionView, signalView } from "./cycle-result.ts";
import {
  type AccountRepository,
  type AccountState,
  DuplicateCycleError,
  StaleCycleError,
} from "./ports/account-repository.ts";
import type { AlertPublisher } from "./ports/alerts.ts";
import type { Logger } from "./ports/logger.ts";
import type { MarketData, SymbolFilters } from "./ports/market-data.ts";
import type { Metrics } from "./ports/metrics.ts";
import { retryOnConflict } from "./retry-on-conflict.ts";

export interface TradingCycleDeps {
  readonly market: MarketData & { readonly usedWeight?: number | undefined };
  readonly repository: AccountRepository;
  readonly alerts: AlertPublisher;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Wall clock, epoch ms. */
  readonly now: () => number;
  readonly config: CycleConfig;
}

/** Binance has fewer closed candles than the strategy needs (a newly listed symbol). */
export class InsufficientHistoryError extends TradingBotError {
  override readonly name: string = "InsufficientHistoryError";
  readonly retryable = false;
}

/** An error as results and alerts show it; unknown errors count as retryable (Lambda retries, the failure queue keeps them). */
const errorView = (error: unknown) => ({
  type: error instanceof Error ? error.name : "Error",
  message: error instanceof Error ? error.message : String(error),
  retryable: error instanceof TradingBotError ? error.retryable : true,
});

/**
 * The Fibonacci orchestrator: one cycle for one (symbol, timeframe) pair, the same code in
 * Lambda, the local runner and the backtest.
 *
 * 1. Validate the request (unknown fields refused); refuse a candle that has not closed, a live
 *    event that comes too late, and a live event for a pair the watchlist does not schedule.
 * 2. Fetch the last closed candles, ending with the one that just closed, and the symbol's
 *    filters; a symbol quoted in another asset than the account's is refused.
 * 3. Exits first, on every candle since the position was last checked.
 * 4. The strategy's signal: SELL closes, BUY opens when the rules allow (and Binance trades the symbol).
 * 5. Commit everything for the candle atomically, once (a second delivery gets the first outcome),
 *    and only if no later candle of the pair was committed (candles only move forward).
 * 6. Publish alerts, emit metrics, log, return the result.
 * A dry run does 1–4 and writes and sends nothing. Nothing throws out of `run`: a failure is a
 * `failed` result whose error says whether retrying can help; a refused event is `stale`.
 */
export class TradingCycle {
  readonly #deps: TradingCycleDeps;

  constructor(deps: TradingCycleDeps) {
    this.#deps = deps;
  }

  async run(event: unknown): Promise<CycleResult> {
    const { logger, metrics, now, config } = this.#deps;
    const started = performance.now();
    let request: CycleRequest;
    try {
      request = parseCycleRequest(event, config.defaultAccountId);
    } catch (error) {
      const raw = (typeof event === "object" && event ? event : {}) as Record<string, unknown>;
      const result = this.#failed(raw as unknown as CycleRequest, started, error);
      logger.error("Invalid cycle request", { event, error: result.error });
      metrics.add("InvalidEvents", "Count", 1);
      return result;
    }
    const closedBy = request.scheduledTime ?? now();
    const candleTime = lastClosedOpenTime(closedBy, request.timeframe);
    logger.appendKeys?.({
      symbol: request.symbol,
      timeframe: request.timeframe,
      candle: new Date(candleTime).toISOString(),
    });
    let result: CycleResult;
    try {
      const refusal = timeRefusal(request, candleTime, now(), config);
      if (refusal) throw refusal;
      checkScheduled(request, config);
      result = await this.#cycle(request, closedBy, candleTime, started);
    } catch (error) {
      result = await this.#unsuccessful(request, candleTime, started, error);
    }
    const closeToEndMs = result.candle ? now() - Date.parse(result.candle.closeTime) : undefined;
    emitCycleMetrics(metrics, result, { closeToEndMs, binanceWeight: this.#deps.market.usedWeight });
    logger.info("Cycle finished", { result });
    return result;
  }

  /** A refused event answers `stale` and sends nothing; a failure alerts once per candle. */
  async #unsuccessful(request: CycleRequest, candleTime: number, started: number, error: unknown) {
    const { logger } = this.#deps;
    const result = this.#failed(request, started, error);
    if (
      error instanceof StaleCycleError ||
      error instanceof LateEventError ||
      error instanceof FutureEventError
    ) {
      logger.warn("Cycle refused", { error: result.error });
      return { ...result, status: "stale" as const };
    }
    logger.error("Cycle failed", { error: result.error });
    if (request.dryRun) return result;
    try {
      const closeTime = candleTime + timeframeMs(request.timeframe);
      const alerts = await alertFailureOnce(
        this.#deps,
        request,
        candleTime,
        closeTime,
        result.error ?? errorView(error),
      );
      return { ...result, alerts };
    } catch (alertError) {
      logger.error("Failure alert not sent", { error: String(alertError) });
      return result;
    }
  }

  async #cycle(
    request: CycleRequest,
    closedBy: number,
    candleTime: number,
    started: number,
  ): Promise<CycleResult> {
    const { market, repository, alerts, logger, config } = this.#deps;
    if (!request.dryRun) {
      const existing = await repository.findCycle(
        request.accountId,
        request.symbol,
        request.timeframe,
        candleTime,
      );
      if (existing) return this.#duplicate(existing.outcome, started);
    }
    const { symbol, timeframe } = request;
    const [batch, filters] = await Promise.all([
      market.closedCandles({ symbol, timeframe, count: config.window, closedBy }),
      market.symbolFilters(symbol),
    ]);
    checkQuoteAsset(symbol, filters.quoteAsset, config.quoteAsset);
    // A symbol Binance stopped trading keeps its exits managed on the candles it still serves.
    const entryBlocked =
      filters.status === "TRADING" ? undefined : `Binance lists ${symbol} as ${filters.status}, not TRADING`;
    const candles = batch.candles;
    if (candles.length < minimumCandles(config.strategy)) {
      throw new InsufficientHistoryError(
        `${symbol} ${timeframe}: Binance has ${candles.length} closed candles, the strategy needs ${minimumCandles(config.strategy)}`,
      );
    }
    const { series, last } = batch.window ?? { series: toCandleSeries(candles), last: candles.length - 1 };
    const signal = evaluateWindow(series, last, Math.min(config.window, candles.length), config.strategy);
    const candle = candles.at(-1) as Candle;
    const steps = marketSteps(filters);
    try {
      const { decision, result } = await retryOnConflict(async () => {
        const state = await this.#state(request);
        checkQuoteAsset(symbol, filters.quoteAsset, state.account.quoteAsset);
        const pair = state.positions.find((p) => p.symbol === symbol && p.timeframe === timeframe);
        const exitCandles = await this.#exitCandles(pair, candles, request);
        const decision = decideCycle({
          symbol,
          timeframe,
          candles: exitCandles,
          signal,
          account: state.account,
          positions: state.positions,
          steps,
          rules: config.rules,
          entryBlocked,
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
          ...unmanaged(state, config),
          durationMs: 0,
        };
        if (!request.dryRun) await this.#commit(request, candle, state, decision, result);
        return { decision, result };
      }, config.retry);
      if (request.dryRun) return { ...result, durationMs: elapsed(started) };
      const ctx = {
        accountId: request.accountId,
        closedAt: candle.openTime + timeframeMs(timeframe),
        precision: {
          price: stepPlaces(step(filters.tickSize)),
          quantity: stepPlaces(step(filters.stepSize)),
        },
        signalReason: signal.reason,
        usdtFree: decision.freeQuote,
        equity: decision.equity,
      };
      const sent = await publishAll(alerts, tradeAlerts(decision, ctx), logger);
      return { ...result, alerts: sent, durationMs: elapsed(started) };
    } catch (error) {
      if (error instanceof DuplicateCycleError) return this.#duplicate(error.existing.outcome, started);
      throw error;
    }
  }

  async #state(request: CycleRequest): Promise<AccountState> {
    const { repository, config, now } = this.#deps;
    const state = await repository.loadState(request.accountId);
    if (state) return state;
    const created = new Date(now());
    if (request.dryRun) {
      const account = newAccount(request.accountId, config.initialBalance, created, config.quoteAsset);
      return { account, positions: [] };
    }
    const account = await repository.openAccount(
      request.accountId,
      config.initialBalance,
      created,
      config.quoteAsset,
    );
    // Another cycle may have opened it first, and traded already: read it as it is now.
    return (await repository.loadState(request.accountId)) ?? { account, positions: [] };
  }

  /** The window's candles, or, after a long outage, every candle since the position was last checked. */
  async #exitCandles(
    position: Position | undefined,
    candles: Candle[],
    request: CycleRequest,
  ): Promise<readonly Candle[]> {
    const first = candles[0] as Candle;
    const interval = timeframeMs(request.timeframe);
    if (!position || position.lastEvaluated >= first.openTime - interval) return candles;
    const last = candles.at(-1) as Candle;
    const range = await this.#deps.market.candleRange({
      symbol: request.symbol,
      timeframe: request.timeframe,
      from: position.lastEvaluated + interval,
      to: last.openTime,
    });
    return range.candles;
  }

  async #commit(
    request: CycleRequest,
    candle: Candle,
    state: AccountState,
    decision: CycleDecision,
    result: CycleResult,
  ) {
    const { before, after } = decision;
    const position =
      after && after !== before
        ? { kind: "put" as const, position: after, ...(before ? { previousVersion: before.version } : {}) }
        : before && !after
          ? {
              kind: "delete" as const,
              symbol: before.symbol,
              timeframe: before.timeframe,
              previousVersion: before.version,
            }
          : undefined;
    await this.#deps.repository.commitCycle({
      cycle: {
        accountId: request.accountId,
        symbol: request.symbol,
        timeframe: request.timeframe,
        candleTime: candle.openTime,
        action: result.signal?.action ?? "HOLD",
        outcome: result,
        recordedAt: new Date(this.#deps.now()).toISOString(),
      },
      expectedVersion: state.account.version,
      trades: [...decision.exits, ...(decision.entry ? [decision.entry] : [])],
      ...(position ? { position } : {}),
    });
  }

  #duplicate(recorded: CycleResult, started: number): CycleResult {
    return { ...recorded, status: "duplicate", durationMs: elapsed(started) };
  }

  #failed(request: CycleRequest, started: number, error: unknown): CycleResult {
    return {
      status: "failed",
      dryRun: request.dryRun === true,
      symbol: request.symbol,
      timeframe: request.timeframe,
      accountId: request.accountId,
      exits: [],
      entry: null,
      position: null,
      durationMs: elapsed(started),
      error: errorView(error),
    };
  }
}

/** Positions no schedule manages any more (their pair left the watchlist): said in the result and a metric. */
function unmanaged(state: AccountState, config: CycleConfig) {
  const scheduled = config.scheduledPairs;
  if (!scheduled) return {};
  const pairs = state.positions.map((p) => pairName(p.symbol, p.timeframe)).filter((p) => !scheduled.has(p));
  return { unmanagedPositions: pairs };
}

const elapsed = (started: number) => Math.round(performance.now() - started);

/** Binance's finest precision, for a filter it reports as disabled (a step of 0). */
const FINEST_STEP = "0.00000001";
const step = (value: string) => (dec(value).eq(0) ? FINEST_STEP : value);

function marketSteps(filters: SymbolFilters): MarketSteps {
  return {
    baseAsset: filters.baseAsset,
    quoteAsset: filters.quoteAsset,
    tickSize: dec(step(filters.tickSize)),
    stepSize: dec(step(filters.stepSize)),
    minQty: dec(filters.minQty),
    minNotional: dec(filters.minNotional),
  };
}
