import { type Account, newAccount, type Position, type Trade } from "../../domain/account/account.ts";
import type { Candle } from "../../domain/market/candle.ts";
import type { CandleSeries } from "../../domain/market/candle-series.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import { ZERO } from "../../domain/money/decimal.ts";
import { ACTION_CODES, type ConfiguredStrategy } from "../../domain/strategies/strategy.ts";
import { decideCycle } from "../../domain/trading/decide-cycle.ts";
import { protectionsOn } from "../../domain/trading/risk-settings.ts";
import { type CycleConfig, candleCount, marketSteps } from "../cycle/index.ts";
import type { SymbolFilters } from "../ports/market-data.ts";
import { accountAfter } from "./account-after.ts";
import { closeUnits, type QuietCheck, quietCheck, quietEquity } from "./quiet-candle.ts";

export interface SimulationInput {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candles: readonly Candle[];
  /** The same candles as columns (toCandleSeries), shared by every setting. */
  readonly series: CandleSeries;
  /** Index of the first candle traded, and one past the last. */
  readonly firstIndex: number;
  readonly end: number;
  readonly filters: SymbolFilters;
  readonly config: CycleConfig;
  readonly strategy: ConfiguredStrategy;
}

export interface Simulation {
  /** Equity after each cycle (index 0: the cycle of candle `firstIndex`). */
  readonly equity: Float64Array;
  /** The fills, oldest first, as the ledger would hold them. */
  readonly trades: readonly Trade[];
  /** Cycles that ended holding a position. */
  readonly exposed: number;
}

/**
 * The backtest without its stores: one decision per closed candle, in order, with the cycle's own
 * pure decision (`decideCycle`: the strategy's signal, exits on every candle, sizing, fees, the
 * exchange's steps, the risk controls) on an account kept in memory. What the cycle adds around
 * that decision (records, alerts, retries) changes no fill, so the fills are `npm run backtest`'s
 * (a differential test holds them equal). A cycle that can move nothing is skipped: no position,
 * no BUY and no protection to update; or a held position on a HOLD whose candle reaches no exit
 * (its equity then computed exactly, see quiet-candle.ts).
 */
export function simulate(input: SimulationInput): Simulation {
  const { symbol, timeframe, candles, series, firstIndex, end, config, strategy } = input;
  const steps = marketSteps(input.filters);
  const rules = config.rules;
  const everyCycle = protectionsOn(rules.risk);
  const entryBlocked =
    input.filters.status === "TRADING"
      ? undefined
      : `Binance lists ${symbol} as ${input.filters.status}, not TRADING`;
  const count = Math.min(config.window, candleCount(strategy, config));
  let account: Account = newAccount(
    config.defaultAccountId,
    config.initialBalance,
    new Date(0),
    steps.quoteAsset,
  );
  let position: Position | undefined;
  const equity = new Float64Array(Math.max(0, end - firstIndex));
  const trades: Trade[] = [];
  // Flat, the equity is the cash: read once each time it changes, not at every candle.
  let cash = Number(config.initialBalance.toFixed(8));
  let exposed = 0;
  let quiet: QuietCheck | undefined;
  // The strategy's own screen, when it has one: the action at every candle in one pass; the
  // signal itself (its plan, its reason) is evaluated only where the action can matter.
  const screen = everyCycle ? undefined : strategy.actions?.(series, firstIndex, end, count);
  const closes = closeUnits(series);
  for (let i = firstIndex; i < end; i++) {
    const candle = candles[i] as Candle;
    if (screen) {
      const action = screen[i - firstIndex];
      if (!position && action !== ACTION_CODES.BUY) {
        equity[i - firstIndex] = cash;
        continue;
      }
      if (position && quiet && action === ACTION_CODES.HOLD) {
        const value = quietEquity(quiet, series, closes, i);
        if (value !== undefined) {
          equity[i - firstIndex] = value;
          exposed++;
          continue;
        }
      }
    }
    // The window the cycle's market call returns: `count` candles ending at the one that closed.
    const signal = strategy.evaluate(series, i, Math.min(count, i + 1));
    if (!position && signal.action !== "BUY" && !everyCycle) {
      equity[i - firstIndex] = cash;
      continue;
    }
    // Held, on a HOLD (or a BUY that cannot add to it), with no protection to update: most
    // candles reach no exit and move nothing.
    if (
      position &&
      quiet &&
      (signal.action === "HOLD" || (signal.action === "BUY" && !signal.plan?.addToPosition))
    ) {
      const value = quietEquity(quiet, series, closes, i);
      if (value !== undefined) {
        equity[i - firstIndex] = value;
        exposed++;
        continue;
      }
    }
    const decision = decideCycle({
      symbol,
      timeframe,
      candles: [candle],
      signal,
      account,
      positions: position ? [position] : [],
      steps,
      rules,
      entryBlocked,
    });
    const after = accountAfter(account, decision);
    account = after.account;
    trades.push(...after.fills);
    position = decision.after;
    const free = account.balances[steps.quoteAsset] ?? ZERO;
    cash = Number(free.toFixed(8));
    quiet = position && !everyCycle ? quietCheck(position, free) : undefined;
    if (position) exposed++;
    equity[i - firstIndex] = Number(decision.equity.toFixed(8));
  }
  return { equity, trades, exposed };
}
