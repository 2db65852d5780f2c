import { type Account, newAccount, type Position, type Trade } from "../../domain/account/account.ts";
import { sumMovements } from "../../domain/account/ledger.ts";
import type { Candle } from "../../domain/market/candle.ts";
import type { CandleSeries } from "../../domain/market/candle-series.ts";
import { type Timeframe, timeframeMs } from "../../domain/market/timeframe.ts";
import { dec, ZERO } from "../../domain/money/decimal.ts";
import type { ConfiguredStrategy } from "../../domain/strategies/strategy.ts";
import { decideCycle } from "../../domain/trading/decide-cycle.ts";
import { equityOf } from "../../domain/trading/entry.ts";
import { protectionsKeepMs } from "../../domain/trading/protections.ts";
import { protectionsOn } from "../../domain/trading/risk-settings.ts";
import type { TradingRules } from "../../domain/trading/trading-rules.ts";
import type { CycleConfig } from "../cycle/config.ts";
import { candleCount } from "../cycle/evaluate-batch.ts";
import { marketSteps } from "../cycle/market-steps.ts";
import type { SymbolFilters } from "../ports/market-data.ts";
import type { Simulation } from "./simulate.ts";

/** One pair of the account, with its strategy and its rules (its own risk, when the watchlist gives one). */
export interface SimulatedPair {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candles: readonly Candle[];
  readonly series: CandleSeries;
  readonly filters: SymbolFilters;
  readonly strategy: ConfiguredStrategy;
  readonly rules: TradingRules;
}

/** The closes of the period, each with the pairs closing then (indices into `pairs`, in the watchlist's order) and their candle's index. */
export interface PortfolioSchedule {
  readonly closes: Float64Array;
  readonly due: readonly (readonly { readonly pair: number; readonly index: number }[])[];
}

export interface PortfolioSimulationInput {
  readonly pairs: readonly SimulatedPair[];
  readonly schedule: PortfolioSchedule;
  readonly initialBalance: string;
  readonly quoteAsset: string;
  /** Closed candles per evaluation (the cycle's window). */
  readonly window: number;
}

/** Every close of the pairs' candles opening from `from` to `to`, with who closes then (see run-portfolio.ts's closesOf). */
export function portfolioSchedule(
  pairs: readonly { readonly timeframe: Timeframe; readonly candles: readonly Candle[] }[],
  from: number,
  to: number,
): PortfolioSchedule {
  const byClose = new Map<number, { pair: number; index: number }[]>();
  pairs.forEach((p, pair) => {
    const interval = timeframeMs(p.timeframe);
    p.candles.forEach((c, index) => {
      if (c.openTime < from || c.openTime > to) return;
      const close = c.openTime + interval;
      const list = byClose.get(close) ?? [];
      list.push({ pair, index });
      byClose.set(close, list);
    });
  });
  const sorted = [...byClose].sort(([a], [b]) => a - b);
  return { closes: Float64Array.from(sorted.map(([c]) => c)), due: sorted.map(([, d]) => d) };
}

/**
 * The portfolio backtest without its stores: at every close, each due pair's cycle with the
 * cycle's own pure decision (`decideCycle`) on one account in memory, in the watchlist's order;
 * the positions of every pair share the cash and the slots. A cycle that can move nothing (its
 * pair flat, no BUY, no protection to update) is skipped. A differential test holds its fills
 * equal to `npm run backtest -- --account`'s.
 */
export function simulatePortfolio(input: PortfolioSimulationInput): Simulation {
  const { pairs, schedule } = input;
  const steps = pairs.map((p) => marketSteps(p.filters));
  // What one pair's cycle keeps for the others' protections: the account's longest look-back.
  const accountKeepMs = Math.max(
    0,
    ...pairs.map((p) => protectionsKeepMs(p.rules.risk.protections, timeframeMs(p.timeframe))),
  );
  const everyCycle = pairs.map((p) => protectionsOn(p.rules.risk));
  let account: Account = newAccount("optimize", dec(input.initialBalance), new Date(0), input.quoteAsset);
  const positions = new Map<number, Position>();
  const equity = new Float64Array(schedule.closes.length);
  const trades: Trade[] = [];
  let exposed = 0;
  for (let k = 0; k < schedule.closes.length; k++) {
    let lastSymbol = "";
    let lastClose = ZERO;
    for (const { pair: n, index } of schedule.due[k] ?? []) {
      const pair = pairs[n] as SimulatedPair;
      const candle = pair.candles[index] as Candle;
      lastSymbol = pair.symbol;
      lastClose = dec(candle.close);
      const count = candleCount(pair.strategy, { window: input.window } as CycleConfig);
      const signal = pair.strategy.evaluate(pair.series, index, Math.min(count, index + 1));
      const held = positions.get(n);
      if (!held && signal.action !== "BUY" && !everyCycle[n]) continue;
      const all = [...positions.values()];
      const decision = decideCycle({
        symbol: pair.symbol,
        timeframe: pair.timeframe,
        candles: [candle],
        signal,
        account,
        positions: all,
        steps: steps[n] as ReturnType<typeof marketSteps>,
        rules: pair.rules,
        entryBlocked:
          pair.filters.status === "TRADING"
            ? undefined
            : `Binance lists ${pair.symbol} as ${pair.filters.status}, not TRADING`,
        accountKeepMs,
      });
      const fills = [...decision.exits, ...(decision.entry ? [decision.entry] : [])];
      if (fills.length || decision.risk) {
        const balances = { ...account.balances };
        for (const [asset, delta] of Object.entries(sumMovements(fills)))
          balances[asset] = (balances[asset] ?? ZERO).plus(delta);
        account = {
          ...account,
          balances,
          version: account.version + 1,
          ...(decision.risk ? { risk: decision.risk.state } : {}),
        };
        trades.push(...fills);
      }
      if (decision.after) positions.set(n, decision.after);
      else positions.delete(n);
    }
    const cash = account.balances[input.quoteAsset] ?? ZERO;
    const open = [...positions.values()];
    if (open.length) exposed++;
    equity[k] = Number(equityOf(cash, open, lastSymbol, lastClose).toFixed(8));
  }
  return { equity, trades, exposed };
}
