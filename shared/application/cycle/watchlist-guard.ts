import { type Timeframe, timeframeMs } from "../../domain/market/timeframe.ts";
import type { ConfiguredStrategy } from "../../domain/strategies/strategy.ts";
import { protectionsKeepMs } from "../../domain/trading/protections.ts";
import type { TradingRules } from "../../domain/trading/trading-rules.ts";
import type { AccountState } from "../ports/account-repository.ts";
import type { CycleConfig, WatchEntry } from "./config.ts";
import { type CycleRequest, InvalidRequestError } from "./request.ts";

/** A live event for a pair the watchlist does not schedule: an invalid event, answered and counted as one, writing nothing. */
export class UnscheduledPairError extends InvalidRequestError {
  override readonly name: string = "UnscheduledPairError";
}

/** How a (symbol, timeframe) pair is named in the schedule: "BNBUSDT 4h". */
export const pairName = (symbol: string, timeframe: Timeframe) => `${symbol} ${timeframe}`;

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
 * The longest protections' look-back (ms) of the pairs the watchlist trades for an account, with
 * the settings in force: what one pair's cycle keeps for the others. Without a watchlist, none.
 */
export function accountKeepMs(accountId: string, config: CycleConfig): number | undefined {
  if (!config.watchlist) return undefined;
  let keep = 0;
  for (const e of config.watchlist) {
    if (e.mode !== "trade" || e.accountId !== accountId) continue;
    keep = Math.max(
      keep,
      protectionsKeepMs((e.risk ?? config.rules.risk).protections, timeframeMs(e.timeframe)),
    );
  }
  return keep;
}

/** The rules a request trades by: the configuration's, with its watchlist entry's own risk settings when it has them. */
export function rulesFor(request: CycleRequest, config: CycleConfig): TradingRules {
  const risk = config.watchlist ? entryOf(request, config.watchlist)?.risk : undefined;
  return risk ? { ...config.rules, risk } : config.rules;
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
    // Without parameters of its own, a dry run of a scheduled pair runs the watchlist entry as configured.
    if (
      request.params === undefined &&
      (request.strategy === undefined || request.strategy === entry?.strategy.name)
    )
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

/** Positions no schedule manages any more (their pair left the watchlist): said in the result and a metric. */
export function unmanaged(state: AccountState, config: CycleConfig, accountId: string) {
  const scheduled = scheduledPairsOf(accountId, config);
  if (!scheduled) return {};
  const pairs = state.positions.map((p) => pairName(p.symbol, p.timeframe)).filter((p) => !scheduled.has(p));
  return { unmanagedPositions: pairs };
}
