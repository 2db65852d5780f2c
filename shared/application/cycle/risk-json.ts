import { TRADE_REASONS, type TradeReason, type TrailingState } from "../../domain/account/account.ts";
import { dec } from "../../domain/money/decimal.ts";
import type { ProtectionName, RiskState } from "../../domain/trading/protections.ts";
import type { RiskStateJson, TrailingJson } from "../ports/cycle-record.ts";

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
