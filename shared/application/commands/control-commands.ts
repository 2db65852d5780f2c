import { forcedExitFill } from "../../domain/control/force-exit.ts";
import { pausing, resuming } from "../../domain/control/pause.ts";
import { timeframeMs } from "../../domain/market/timeframe.ts";
import { ZERO } from "../../domain/money/decimal.ts";
import { equityOf } from "../../domain/trading/entry.ts";
import { exitAlert } from "../alerts/alert-messages.ts";
import { marketSteps, pairName, precisionOf } from "../cycle/index.ts";
import { money, signedMoney, utcTime } from "../format.ts";
import { VersionConflictError } from "../ports/account-repository.ts";
import type { Chat, CommandDeps } from "./command-deps.ts";

const ATTEMPTS = 3;

/** The pair a command names ("BNBUSDT 4h", or "BNBUSDT" when the account trades it on one timeframe), or why not. */
function pairOf(deps: CommandDeps, accountId: string, args: readonly string[]): string | { error: string } {
  const pairs = (deps.config.watchlist ?? []).filter((e) => e.mode === "trade" && e.accountId === accountId);
  const [symbol = "", timeframe] = args.map((a) =>
    a.toUpperCase().replace(/^(\d+)([MHDW])$/, (_, n, u) => `${n}${u.toLowerCase()}`),
  );
  const matches = pairs.filter(
    (p) => p.symbol === symbol && (timeframe === undefined || p.timeframe === timeframe),
  );
  const list = pairs.map((p) => pairName(p.symbol, p.timeframe)).join(", ") || "none";
  if (matches.length === 1)
    return pairName(
      (matches[0] as (typeof pairs)[number]).symbol,
      (matches[0] as (typeof pairs)[number]).timeframe,
    );
  if (matches.length > 1)
    return {
      error: `${symbol} trades on ${matches.map((p) => p.timeframe).join(" and ")}: name one, e.g. ${symbol} ${matches[0]?.timeframe}`,
    };
  return {
    error: `account ${accountId} does not trade ${[symbol, timeframe].filter(Boolean).join(" ").slice(0, 40) || "that"}; its pairs: ${list}`,
  };
}

/** /pause [pair|all] and /resume [pair|all]: the account's pause, on the version it was read at (read again if it moved). */
export async function pauseCommand(
  deps: CommandDeps,
  chat: Chat,
  resume: boolean,
  args: readonly string[],
): Promise<string> {
  const target =
    args.length === 0 || args[0]?.toLowerCase() === "all" ? "all" : pairOf(deps, chat.accountId, args);
  if (typeof target === "object") return target.error;
  const verb = resume ? "resume" : "pause";
  for (let attempt = 1; ; attempt++) {
    const state = await deps.store.loadState(chat.accountId);
    if (!state) return `No paper account ${chat.accountId} yet: nothing to ${verb}.`;
    const at = deps.now();
    const by = `/${verb} in ${chat.where}`;
    const next = resume
      ? resuming(state.account.paused, target)
      : pausing(state.account.paused, target, { since: at, by });
    try {
      await deps.control.setPause(chat.accountId, next, state.account.version, {
        kind: verb,
        target,
        at,
        by,
      });
      const what = target === "all" ? `account ${chat.accountId}` : `${target} of account ${chat.accountId}`;
      return resume
        ? `Resumed: new entries allowed again on ${what} (${utcTime(at)}).`
        : `Paused: no new entries on ${what} from ${utcTime(at)} on. Exits, stops and alerts go on; /resume ${target === "all" ? "" : target} lets entries in again.`.replace(
            "  ",
            " ",
          );
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/**
 * /forceexit <pair>: the whole position sold at the last closed candle's close (slippage and fee
 * as any exit), in one transaction guarded as a cycle's: when a cycle's stop takes the position
 * first, exactly one exit happens and this says so.
 */
export async function forceExitCommand(
  deps: CommandDeps,
  chat: Chat,
  args: readonly string[],
): Promise<string> {
  if (args.length === 0) return "Name the pair: /forceexit BNBUSDT 4h";
  const pair = pairOf(deps, chat.accountId, args);
  if (typeof pair === "object") return pair.error;
  const [symbol, timeframe] = pair.split(" ") as [string, string];
  const entry = deps.config.watchlist?.find(
    (e) => e.accountId === chat.accountId && e.symbol === symbol && e.timeframe === timeframe,
  );
  const rules = entry?.risk ? { ...deps.config.rules, risk: entry.risk } : deps.config.rules;
  for (let attempt = 1; ; attempt++) {
    const state = await deps.store.loadState(chat.accountId);
    const position = state?.positions.find((p) => p.symbol === symbol && p.timeframe === timeframe);
    if (!state || !position)
      return `No open position on ${pair} of account ${chat.accountId}: nothing to exit.`;
    const at = deps.now();
    const [batch, filters] = await Promise.all([
      deps.market.closedCandles({ symbol, timeframe: position.timeframe, count: 1, closedBy: at }),
      deps.market.symbolFilters(symbol),
    ]);
    const candle = batch.candles.at(-1);
    if (!candle) return `Binance served no closed ${pair} candle: try again.`;
    const steps = marketSteps(filters);
    const trade = forcedExitFill(position, candle, steps, rules.feeRate, rules.risk.slippageBps);
    const others = state.positions.filter((p) => p !== position);
    const free = (state.account.balances[steps.quoteAsset] ?? ZERO).plus(trade.quoteAmount).minus(trade.fee);
    const by = `/forceexit in ${chat.where}`;
    const alert = exitAlert(trade, position.entryPrice, {
      accountId: chat.accountId,
      symbol,
      timeframe,
      candleTime: candle.openTime,
      closedAt: at,
      precision: precisionOf(filters),
      signalReason: by,
      usdtFree: free,
      equity: equityOf(free, others, "", ZERO),
    });
    const detail = `${trade.quantity.toFixed()} ${trade.baseAsset} at ${trade.price.toFixed()} ${trade.quoteAsset}`;
    try {
      await deps.control.commitForcedExit({
        accountId: chat.accountId,
        expectedVersion: state.account.version,
        trade,
        position: { symbol, timeframe: position.timeframe, previousVersion: position.version },
        alert,
        event: { kind: "forced-exit", target: pair, at, by, detail },
      });
      await deps.deliver?.(chat.accountId);
      const closed = utcTime(candle.openTime + timeframeMs(position.timeframe));
      return `Forced exit of ${pair}: sold ${detail} (the close of the candle that closed ${closed}), realised ${signedMoney(trade.realizedPnl ?? ZERO)} ${trade.quoteAsset} after the fee of ${money(trade.fee)}.`;
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= ATTEMPTS) throw error;
    }
  }
}
