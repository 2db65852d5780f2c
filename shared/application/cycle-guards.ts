import { TradingBotError } from "../domain/errors.ts";
import { type Timeframe, timeframeMs } from "../domain/market/timeframe.ts";
import type { CycleConfig, WatchEntry } from "./cycle-config.ts";
import { type CycleRequest, InvalidRequestError } from "./cycle-request.ts";
import type { AccountState } from "./ports/account-repository.ts";
import type { ConfiguredStrategy } from "./ports/strategy.ts";

/** The event names a candle that has not closed yet: nothing can be decided on it. */
export class FutureEventError extends TradingBotError {
  override readonly name: string = "FutureEventError";
  readonly retryable = false;
}

/** A live event that arrived too long after its candle closed: the account has moved on. */
export class LateEventError extends TradingBotError {
  override readonly name: string = "LateEventError";
  readonly retryable = false;
}

/** The symbol is quoted in another asset than the account's. */
export class ForeignQuoteAssetError extends TradingBotError {
  override readonly name: string = "ForeignQuoteAssetError";
  readonly retryable = false;
}

/** A live event for a pair the deployed watchlist does not schedule: nothing would manage its position. */
/** A live event for a pair the watchlist does not schedule: an invalid event, answered and counted as one, writing nothing. */
export class UnscheduledPairError extends InvalidRequestError {
  override readonly name: string = "UnscheduledPairError";
}

/** How a (symbol, timeframe) pair is named in the schedule: "BNBUSDT 4h". */
export const pairName = (symbol: string, timeframe: Timeframe) => `${symbol} ${timeframe}`;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Live runs are for now: the candle must have closed (for dry runs too), and a live event may
 * come at most `maxEventDelayMs` (Lambda's asynchronous event age) plus one interval after its
 * candle closed. Dry runs may name any past time: that is how people inspect history.
 */
export function timeRefusal(request: CycleRequest, candleTime: number, now: number, config: CycleConfig) {
  const interval = timeframeMs(request.timeframe);
  const closeTime = candleTime + interval;
  if (closeTime > now) {
    return new FutureEventError(
      `the ${request.timeframe} candle of ${iso(candleTime)} closes at ${iso(closeTime)}, after now (${iso(now)})`,
    );
  }
  const limit = config.maxEventDelayMs + interval;
  if (!request.dryRun && now - closeTime > limit) {
    return new LateEventError(
      `the ${request.timeframe} candle of ${iso(candleTime)} closed at ${iso(closeTime)}, more than ${limit / 60_000} minutes before now (${iso(now)}); a live cycle trades only the candle that just closed (a dry run may look at any past time)`,
    );
  }
  return undefined;
}

function entryOf(request: CycleRequest, watchlist: readonly WatchEntry[]): WatchEntry | undefined {
  const { symbol, timeframe, mode, accountId, strategy } = request;
  const candidates = watchlist.filter(
    (e) =>
      e.symbol === symbol &&
      e.timeframe === timeframe &&
      e.mode === mode &&
      (mode === "trade" ? e.accountId === accountId : strategy === undefined || e.strategy.name === strategy),
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * The strategy a request runs. Live: the watchlist entry of its (account, symbol, timeframe), or
 * of its alert-only (strategy, symbol, timeframe); a live request for anything else is refused,
 * since nothing would manage what it opened. A dry run may name any strategy and parameters.
 * Without a watchlist (a backtest), the configured strategy.
 */
export function strategyFor(request: CycleRequest, config: CycleConfig): ConfiguredStrategy {
  const { watchlist } = config;
  const entry = watchlist ? entryOf(request, watchlist) : undefined;
  if (request.dryRun) {
    if (request.strategy === undefined && request.params === undefined)
      return entry?.strategy ?? config.strategy;
    if (!config.resolveStrategy)
      throw new InvalidRequestError("this runner runs its configured strategy only");
    const name = request.strategy ?? entry?.strategy.name ?? config.strategy.name;
    try {
      return config.resolveStrategy(name, request.params ?? {});
    } catch (error) {
      throw new InvalidRequestError((error as Error).message);
    }
  }
  if (!watchlist) return config.strategy;
  const pair = pairName(request.symbol, request.timeframe);
  if (!entry) {
    const what =
      request.mode === "trade"
        ? `account ${request.accountId}`
        : `alerts of ${request.strategy ?? "any strategy"}`;
    throw new UnscheduledPairError(
      `${pair} (${what}) is not in the watchlist: a live run would ${request.mode === "trade" ? "open a position no schedule manages" : "send alerts nobody scheduled"}; add it to the watchlist, or use a dry run`,
    );
  }
  if (request.strategy !== undefined && request.strategy !== entry.strategy.name) {
    throw new UnscheduledPairError(
      `${pair} of account ${request.accountId} runs ${entry.strategy.name} in the watchlist, not ${request.strategy}`,
    );
  }
  return entry.strategy;
}

/** The account's trade pairs in the watchlist ("BNBUSDT 4h"); undefined without a watchlist. */
export function scheduledPairsOf(accountId: string, config: CycleConfig): ReadonlySet<string> | undefined {
  if (!config.watchlist) return undefined;
  return new Set(
    config.watchlist
      .filter((e) => e.mode === "trade" && e.accountId === accountId)
      .map((e) => pairName(e.symbol, e.timeframe)),
  );
}

/** One quote asset per account: a symbol quoted in another is refused before anything is read. */
export function checkQuoteAsset(symbol: string, symbolQuote: string, accountQuote: string): void {
  if (symbolQuote === accountQuote) return;
  throw new ForeignQuoteAssetError(
    `${symbol} is quoted in ${symbolQuote}, but the account holds ${accountQuote}: one account trades symbols of one quote asset only`,
  );
}

/** Positions no schedule manages any more (their pair left the watchlist): said in the result and a metric. */
export function unmanaged(state: AccountState, config: CycleConfig, accountId: string) {
  const scheduled = scheduledPairsOf(accountId, config);
  if (!scheduled) return {};
  const pairs = state.positions.map((p) => pairName(p.symbol, p.timeframe)).filter((p) => !scheduled.has(p));
  return { unmanagedPositions: pairs };
}
