import type { Trade } from "../account/account.ts";
import type { TradeReason } from "../account/trade-reason.ts";
import { minuteUtc } from "../market/utc.ts";
import { type Decimal, ZERO } from "../money/decimal.ts";
import type { Protections } from "./risk-settings.ts";
import {
  ACCOUNT_SCOPE,
  EMPTY_RISK_STATE,
  type Lock,
  MAX_RISK_EXITS,
  MAX_RISK_MARKS,
  type ProtectionName,
  type RiskState,
} from "./risk-state.ts";

const DAY_MS = 86_400_000;

/** How far back a pair's protections look (ms): its longest look-back in candles of its timeframe. */
export const protectionsKeepMs = (settings: Protections, intervalMs: number): number =>
  Math.max(
    settings.stopLossGuard?.lookbackCandles ?? 0,
    settings.maxDrawdown?.lookbackCandles ?? 0,
    settings.cooldownCandles ?? 0,
  ) * intervalMs;

export interface ProtectionInput {
  readonly settings: Protections;
  readonly state: RiskState | undefined;
  /** The cycle's pair, "BNBUSDT 4h", and its candle length (ms). */
  readonly pair: string;
  readonly intervalMs: number;
  /** Close time (epoch ms) of the candle the cycle runs at. */
  readonly close: number;
  /** This cycle's exits, oldest first. */
  readonly exits: readonly Trade[];
  /** The exits left the pair flat. */
  readonly flat: boolean;
  /** The account's equity before the cycle (its positions at their last prices): a new day's opening when no earlier cycle marked one. */
  readonly equityBefore: Decimal;
  /** The equity after the exits, at this close. */
  readonly equity: Decimal;
  /**
   * The longest look-back of any pair of the account in the settings in force (ms), so that one
   * pair's cycle keeps what another pair's protections read; undefined: this pair's own.
   */
  readonly accountKeepMs?: number | undefined;
}

export interface ProtectionOutcome {
  readonly state: RiskState;
  /** The lock that keeps this pair from opening a position now. */
  readonly blocking: Lock | undefined;
  readonly engaged: readonly Lock[];
  readonly released: readonly Lock[];
  /** The state as read held more than MAX_RISK_MARKS marks or MAX_RISK_EXITS exits: what was cut (the oldest). */
  readonly trimmed?: { readonly marks: number; readonly exits: number } | undefined;
}

const pct = (fraction: Decimal) => fraction.times(100).toFixed(2);
const money = (value: Decimal) => value.toFixed(2);

/**
 * One cycle's protections, as a pure function of what the account remembers and what the cycle
 * did before its entry (exits, equity): locks whose time is up are released, then each
 * protection that is on and whose condition holds engages (once: not while a lock of its own
 * holds the same scope). Exits always run; a lock only ever blocks new entries.
 */
export function applyProtections(input: ProtectionInput): ProtectionOutcome {
  const { settings, pair, intervalMs: interval, close, equity } = input;
  const previous = input.state ?? EMPTY_RISK_STATE;
  // Recomputed from the settings in force every cycle: a shortened look-back drops what it no longer reads.
  const keepMs = Math.max(protectionsKeepMs(settings, interval), input.accountKeepMs ?? 0);
  const trimmed =
    previous.marks.length > MAX_RISK_MARKS || previous.exits.length > MAX_RISK_EXITS
      ? {
          marks: Math.max(0, previous.marks.length - MAX_RISK_MARKS),
          exits: Math.max(0, previous.exits.length - MAX_RISK_EXITS),
        }
      : undefined;
  const exits = [
    ...previous.exits,
    ...input.exits.map((t) => ({ pair, close: t.candleTime + interval, reason: t.reason })),
  ]
    .filter((e) => e.close > close - keepMs)
    .slice(-MAX_RISK_EXITS);
  const marks = previous.marks.filter((m) => m.close > close - keepMs).slice(-(MAX_RISK_MARKS - 1));
  const date = Math.floor(close / DAY_MS);
  const day =
    previous.day?.date === date
      ? previous.day
      : { date, opening: previous.marks.at(-1)?.equity ?? input.equityBefore };
  const released = previous.locks.filter((l) => l.until <= close);
  const locks = previous.locks.filter((l) => l.until > close);
  const engaged: Lock[] = [];
  const engage = (protection: ProtectionName, scope: string, until: number, reason: string) => {
    if (until <= close || locks.some((l) => l.protection === protection && l.scope === scope)) return;
    const lock = { protection, scope, since: close, until, reason };
    locks.push(lock);
    engaged.push(lock);
  };

  const lastExit = input.exits.at(-1);
  if (settings.cooldownCandles && input.flat && lastExit) {
    const exitClose = lastExit.candleTime + interval;
    engage(
      "cooldown",
      pair,
      exitClose + (settings.cooldownCandles + 1) * interval,
      `cooldown: ${pair} exited at ${minuteUtc(exitClose)}; no entry on it for ${settings.cooldownCandles} more candle(s)`,
    );
  }
  const guard = settings.stopLossGuard;
  if (guard && input.exits.some((t) => isStop(t.reason))) {
    const since = close - guard.lookbackCandles * interval;
    const stops = exits.filter(
      (e) => isStop(e.reason) && e.close > since && (guard.scope === "account" || e.pair === pair),
    );
    if (stops.length >= guard.stops) {
      const scope = guard.scope === "account" ? ACCOUNT_SCOPE : pair;
      engage(
        "stopLossGuard",
        scope,
        close + guard.pauseCandles * interval,
        `stop-loss guard: ${stops.length} stop exits ${guard.scope === "account" ? "across the account" : `of ${pair}`} within the last ${guard.lookbackCandles} candles; no new entries for ${guard.pauseCandles} candles`,
      );
    }
  }
  const drawdown = settings.maxDrawdown;
  if (drawdown) {
    const since = close - drawdown.lookbackCandles * interval;
    const peak = marks
      .filter((m) => m.close > since)
      .reduce((p, m) => (m.equity.gt(p) ? m.equity : p), equity);
    const fall = peak.gt(0) ? peak.minus(equity).div(peak) : ZERO;
    if (fall.times(100).gt(drawdown.pct))
      engage(
        "maxDrawdown",
        ACCOUNT_SCOPE,
        close + drawdown.pauseCandles * interval,
        `maximum drawdown: equity ${money(equity)} is ${pct(fall)} % below its peak of ${money(peak)} within the last ${drawdown.lookbackCandles} candles (limit ${drawdown.pct.toFixed()} %); no new entries for ${drawdown.pauseCandles} candles`,
      );
  }
  if (settings.dailyLossPct && day.opening.gt(0)) {
    const loss = day.opening.minus(equity).div(day.opening);
    if (loss.times(100).gt(settings.dailyLossPct))
      engage(
        "dailyLossLimit",
        ACCOUNT_SCOPE,
        (date + 1) * DAY_MS,
        `daily loss limit: equity ${money(equity)} is ${pct(loss)} % below the day's opening ${money(day.opening)} (limit ${settings.dailyLossPct.toFixed()} %); no new entries until ${minuteUtc((date + 1) * DAY_MS)}`,
      );
  }
  const blocking = locks.find((l) => l.scope === ACCOUNT_SCOPE || l.scope === pair);
  return {
    state: { exits, marks, keepMs, day, locks },
    blocking,
    engaged,
    released,
    ...(trimmed ? { trimmed } : {}),
  };
}

/** The state with the equity this cycle left, at its close (the latest mark of a close replaces an earlier one of the same close); at most MAX_RISK_MARKS, the newest. */
export function withMark(state: RiskState, close: number, equity: Decimal): RiskState {
  const marks = [...state.marks.filter((m) => m.close !== close), { close, equity }];
  return { ...state, marks: marks.sort((a, b) => a.close - b.close).slice(-MAX_RISK_MARKS) };
}

const isStop = (reason: TradeReason) => reason === "stop" || reason === "trailing-stop";
