import type { Account, Position, Trade } from "../account/account.ts";
import { sumMovements } from "../account/ledger.ts";
import type { Candle } from "../market/candle.ts";
import { type Timeframe, timeframeMs } from "../market/timeframe.ts";
import { minuteUtc } from "../market/utc.ts";
import { type Decimal, dec, ZERO } from "../money/decimal.ts";
import type { Action } from "../strategies/signal.ts";
import { decideEntry, equityOf } from "./entry.ts";
import type { EntryPlan } from "./entry-plan.ts";
import { evaluateExits } from "./exits.ts";
import { exitFill, type MarketSteps } from "./fills.ts";
import { applyProtections, withMark } from "./protections.ts";
import { protectionsOn } from "./risk-settings.ts";
import type { Lock, RiskState } from "./risk-state.ts";
import { slipped } from "./slippage.ts";
import type { TradingRules } from "./trading-rules.ts";

export interface CycleInput {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Closed candles, oldest first, ending with the one that just closed. */
  readonly candles: readonly Candle[];
  /** The strategy's signal for the window: a BUY carries its plan. */
  readonly signal: { readonly action: Action; readonly plan?: EntryPlan | undefined };
  readonly account: Account;
  readonly positions: readonly Position[];
  readonly steps: MarketSteps;
  readonly rules: TradingRules;
  /** Why no position may be opened now (the exchange stopped trading the symbol); exits still run. */
  readonly entryBlocked?: string | undefined;
  /** The longest protections' look-back of any pair of the account (ms), from the settings in force. */
  readonly accountKeepMs?: number | undefined;
}

export interface CycleDecision {
  readonly exits: Trade[];
  readonly entry: Trade | undefined;
  /** Why a BUY did not open a position. */
  readonly skipped: string | undefined;
  /** The pair's position before and after the cycle. */
  readonly before: Position | undefined;
  readonly after: Position | undefined;
  readonly freeQuote: Decimal;
  readonly equity: Decimal;
  /** With protections on: what they remember after the cycle, and the locks it engaged and released. */
  readonly risk?: {
    readonly state: RiskState;
    readonly engaged: readonly Lock[];
    readonly released: readonly Lock[];
    /** The lock that kept a BUY from opening a position. */
    readonly blocked?: Lock | undefined;
    /** The state as read was over its caps: how many of its oldest marks and exits were cut. */
    readonly trimmed?: { readonly marks: number; readonly exits: number } | undefined;
  };
}

/**
 * What one cycle does for its (symbol, timeframe) pair, as a pure function: exits first on
 * every candle since the position was last checked, then the signal (SELL closes what is left
 * at the close; BUY opens a position when the rules allow it).
 */
export function decideCycle(input: CycleInput): CycleDecision {
  const { symbol, timeframe, candles, signal, account, steps, rules } = input;
  const candle = candles.at(-1) as Candle;
  const before = input.positions.find((p) => p.symbol === symbol && p.timeframe === timeframe);
  const others = input.positions.filter((p) => p !== before);
  const exits: Trade[] = [];
  let after = before;
  if (before) {
    const outcome = evaluateExits(before, candles, steps, rules.feeRate, 0, rules.risk.slippageBps);
    exits.push(...outcome.trades);
    after = outcome.position;
    if (after && signal.action === "SELL") {
      exits.push(
        exitFill(
          after,
          after.quantity,
          slipped(dec(candle.close), "SELL", rules.risk.slippageBps, steps.tickSize),
          "signal",
          candle.openTime,
          exits.length,
          steps.quoteAsset,
          rules.feeRate,
        ),
      );
      after = undefined;
    }
  }
  let freeQuote = (account.balances[steps.quoteAsset] ?? ZERO).plus(
    sumMovements(exits)[steps.quoteAsset] ?? ZERO,
  );
  const interval = timeframeMs(timeframe);
  const close = candle.openTime + interval;
  const protection = protectionsOn(rules.risk)
    ? applyProtections({
        settings: rules.risk.protections,
        state: account.risk,
        pair: `${symbol} ${timeframe}`,
        intervalMs: interval,
        close,
        exits,
        flat: before !== undefined && after === undefined,
        equityBefore: equityOf(account.balances[steps.quoteAsset] ?? ZERO, input.positions, "", ZERO),
        equity: equityOf(freeQuote, after ? [...others, after] : others, symbol, dec(candle.close)),
        accountKeepMs: input.accountKeepMs,
      })
    : undefined;
  let entry: Trade | undefined;
  let skipped: string | undefined;
  // A BUY while the pair holds a position it cannot add to was never a possible entry: no
  // protection (nor pause) blocked it, whatever is in force.
  const possible = !(after && !signal.plan?.addToPosition);
  if (signal.action === "BUY" && input.entryBlocked && possible) {
    skipped = input.entryBlocked;
  } else if (signal.action === "BUY" && protection?.blocking && possible) {
    skipped = `${protection.blocking.reason} (until ${minuteUtc(protection.blocking.until)})`;
  } else if (signal.action === "BUY" && signal.plan) {
    const open = after ? [...others, after] : others;
    const decision = decideEntry({
      symbol,
      timeframe,
      candle,
      plan: signal.plan,
      freeQuote,
      positions: open,
      steps,
      rules,
      sequence: exits.length,
    });
    if (decision.kind === "open") {
      entry = decision.trade;
      after = decision.position;
      freeQuote = freeQuote.plus(sumMovements([entry])[steps.quoteAsset] ?? ZERO);
    } else {
      skipped = decision.reason;
    }
  }
  const held = after ? [...others, after] : others;
  const equity = equityOf(freeQuote, held, symbol, dec(candle.close));
  const risk = protection && {
    state: withMark(protection.state, close, equity),
    engaged: protection.engaged,
    released: protection.released,
    ...(signal.action === "BUY" && !input.entryBlocked && protection.blocking && possible
      ? { blocked: protection.blocking }
      : {}),
    ...(protection.trimmed ? { trimmed: protection.trimmed } : {}),
  };
  return { exits, entry, skipped, before, after, freeQuote, equity, ...(risk ? { risk } : {}) };
}
