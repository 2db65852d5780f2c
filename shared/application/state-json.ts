/**
 * The account's state as JSON, one form for everywhere it is kept: the DynamoDB items (the
 * account's protections, a position) and a cycle record's basis, which the report reads back.
 */
import type { Position, TrailingState } from "../domain/account/account.ts";
import { TRADE_REASONS, type TradeReason } from "../domain/account/trade-reason.ts";
import { dec } from "../domain/money/decimal.ts";
import type { ProtectionName, RiskState } from "../domain/trading/risk-state.ts";
import type { PositionJson, RiskStateJson, TrailingJson } from "./ports/cycle-record.ts";

const PROTECTIONS: readonly ProtectionName[] = ["cooldown", "stopLossGuard", "maxDrawdown", "dailyLossLimit"];

export function riskStateJson(state: RiskState): RiskStateJson {
  return {
    exits: state.exits.map((e) => ({ pair: e.pair, close: e.close, reason: e.reason })),
    marks: state.marks.map((m) => ({ close: m.close, equity: m.equity.toFixed() })),
    keepMs: state.keepMs,
    ...(state.day ? { day: { date: state.day.date, opening: state.day.opening.toFixed() } } : {}),
    locks: state.locks.map((l) => ({ ...l })),
  };
}

/** Reads it back, checking every field; `where` names the item or record it came from. */
export function riskStateFromJson(value: unknown, where: string): RiskState {
  const bad = (what: string): never => {
    throw new TypeError(`${where}: the protections' state ${what}`);
  };
  const json = value as RiskStateJson;
  if (typeof json !== "object" || json === null) return bad("is not an object");
  if (!Array.isArray(json.exits) || !Array.isArray(json.marks) || !Array.isArray(json.locks))
    return bad("lacks its exits, marks or locks");
  const time = (n: unknown, what: string) =>
    Number.isSafeInteger(n) ? (n as number) : bad(`has a ${what} that is not a time: ${JSON.stringify(n)}`);
  return {
    exits: json.exits.map((e) => ({
      pair: String(e.pair),
      close: time(e.close, "exit"),
      reason: TRADE_REASONS.includes(e.reason as TradeReason)
        ? (e.reason as TradeReason)
        : bad(`has an exit of unknown reason ${JSON.stringify(e.reason)}`),
    })),
    marks: json.marks.map((m) => ({ close: time(m.close, "mark"), equity: dec(m.equity) })),
    keepMs: time(json.keepMs, "keep period"),
    ...(json.day ? { day: { date: time(json.day.date, "day"), opening: dec(json.day.opening) } } : {}),
    locks: json.locks.map((l) => ({
      protection: PROTECTIONS.includes(l.protection)
        ? l.protection
        : bad(`has an unknown lock ${l.protection}`),
      scope: String(l.scope),
      since: time(l.since, "lock"),
      until: time(l.until, "lock"),
      reason: String(l.reason),
    })),
  };
}

/** A position's trailing stop as JSON, and back. */
export const trailingJson = (t: TrailingState): TrailingJson => ({
  activation: t.activation.toFixed(),
  distance: t.distance.toFixed(),
  ...(t.highestClose ? { highestClose: t.highestClose.toFixed() } : {}),
  raised: t.raised,
});

export const trailingFromJson = (t: TrailingJson): TrailingState => ({
  activation: dec(t.activation),
  distance: dec(t.distance),
  highestClose: t.highestClose === undefined ? undefined : dec(t.highestClose),
  raised: t.raised === true,
});

export function positionJson(p: Position): PositionJson {
  return {
    symbol: p.symbol,
    timeframe: p.timeframe,
    baseAsset: p.baseAsset,
    quantity: p.quantity.toFixed(),
    entryPrice: p.entryPrice.toFixed(),
    entryTime: p.entryTime,
    ...(p.stopLoss ? { stopLoss: p.stopLoss.toFixed() } : {}),
    ...(p.takeProfit1 ? { takeProfit1: p.takeProfit1.toFixed() } : {}),
    tp1Fraction: p.tp1Fraction.toFixed(),
    ...(p.takeProfit2 ? { takeProfit2: p.takeProfit2.toFixed() } : {}),
    tp1Taken: p.tp1Taken,
    stopToEntryAfterTp1: p.stopToEntryAfterTp1,
    lastEvaluated: p.lastEvaluated,
    markPrice: p.markPrice.toFixed(),
    ...(p.trailing ? { trailing: trailingJson(p.trailing) } : {}),
  };
}

export function positionFromJson(p: PositionJson, version = 1): Position {
  return {
    symbol: p.symbol,
    timeframe: p.timeframe,
    baseAsset: p.baseAsset,
    quantity: dec(p.quantity),
    entryPrice: dec(p.entryPrice),
    entryTime: p.entryTime,
    stopLoss: p.stopLoss === undefined ? undefined : dec(p.stopLoss),
    takeProfit1: p.takeProfit1 === undefined ? undefined : dec(p.takeProfit1),
    tp1Fraction: dec(p.tp1Fraction),
    takeProfit2: p.takeProfit2 === undefined ? undefined : dec(p.takeProfit2),
    tp1Taken: p.tp1Taken,
    stopToEntryAfterTp1: p.stopToEntryAfterTp1,
    lastEvaluated: p.lastEvaluated,
    markPrice: dec(p.markPrice),
    ...(p.trailing ? { trailing: trailingFromJson(p.trailing) } : {}),
    version,
  };
}
