import { pauseFromJson, pauseJson } from "../../application/control/pause-json.ts";
import type { CycleNote, CycleRecord, StoredTrade } from "../../application/ports/account-repository.ts";
import {
  ALERT_EVENTS,
  type Alert,
  type AlertEvent,
  type DeadLetter,
  type QueuedAlert,
} from "../../application/ports/alerts.ts";
import type { CycleBasis, CycleSettings, TrailingJson } from "../../application/ports/cycle-record.ts";
import type { SymbolFilters } from "../../application/ports/market-data.ts";
import {
  riskStateFromJson,
  riskStateJson,
  trailingFromJson,
  trailingJson,
} from "../../application/state-json.ts";
import type { Account, Position, Trade } from "../../domain/account/account.ts";
import { TRADE_REASONS } from "../../domain/account/trade-reason.ts";
import { isPaused } from "../../domain/control/pause.ts";
import { Decimal, dec } from "../../domain/money/decimal.ts";
import { FIBONACCI_EXITS } from "../../domain/strategies/fibonacci-golden-zone/strategy.ts";

import { ItemReader, num } from "./item-reader.ts";
import { keys } from "./table-definition.ts";

/** Attributes as stored: every number and decimal as an exact DynamoDB number, maps likewise. */
function encode(fields: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value instanceof Decimal || typeof value === "number") out[name] = num(value);
    else if (typeof value === "object" && value !== null) out[name] = encode(value);
    else out[name] = value;
  }
  return out;
}

/** Items as stored, and back (reading checks every attribute: see ItemReader). */

export function accountItem(account: Account) {
  const { id, risk, paused, ...rest } = account;
  return {
    ...keys.account(id),
    type: "account",
    ...encode({ accountId: id, ...rest }),
    ...(risk ? { risk: JSON.stringify(riskStateJson(risk)) } : {}),
    ...(paused && isPaused(paused) ? { paused: pauseJson(paused) } : {}),
  };
}

export function readAccount(item: Record<string, unknown>): Account {
  const r = new ItemReader(item);
  return {
    id: r.string("accountId"),
    quoteAsset: r.string("quoteAsset"),
    initialBalance: r.decimal("initialBalance"),
    balances: r.decimalMap("balances"),
    createdAt: r.string("createdAt"),
    version: r.integer("version"),
    ...(item.risk === undefined ? {} : { risk: r.parsed("risk", riskStateFromJson) }),
    ...(item.paused === undefined ? {} : { paused: r.parsed("paused", pauseFromJson) }),
  };
}

export function positionItem(accountId: string, position: Position) {
  const { trailing, ...rest } = position;
  return {
    ...keys.position(accountId, position.symbol, position.timeframe),
    type: "position",
    ...encode(rest),
    ...(trailing ? { trailing: JSON.stringify(trailingJson(trailing)) } : {}),
  };
}

export function readPosition(item: Record<string, unknown>): Position {
  const r = new ItemReader(item);
  return {
    symbol: r.string("symbol"),
    timeframe: r.timeframe("timeframe"),
    baseAsset: r.string("baseAsset"),
    quantity: r.decimal("quantity"),
    entryPrice: r.decimal("entryPrice"),
    entryTime: r.integer("entryTime"),
    stopLoss: r.optionalDecimal("stopLoss"),
    takeProfit1: r.optionalDecimal("takeProfit1"),
    takeProfit2: r.optionalDecimal("takeProfit2"),
    // Positions written before strategies were plug-ins are the Fibonacci strategy's: its exits,
    // as the strategy defines them. Newer items always hold both attributes.
    tp1Fraction: r.optionalDecimal("tp1Fraction") ?? dec(FIBONACCI_EXITS.firstTargetFraction),
    tp1Taken: r.boolean("tp1Taken"),
    stopToEntryAfterTp1:
      item.stopToEntryAfterTp1 === undefined
        ? FIBONACCI_EXITS.stopToEntryAfterFirstTarget
        : r.boolean("stopToEntryAfterTp1"),
    lastEvaluated: r.integer("lastEvaluated"),
    markPrice: r.decimal("markPrice"),
    ...(item.trailing === undefined
      ? {}
      : { trailing: trailingFromJson(r.json("trailing") as TrailingJson) }),
    version: r.integer("version"),
  };
}

export function tradeItem(accountId: string, trade: Trade) {
  const key = keys.trade(accountId, trade.candleTime, trade.symbol, trade.timeframe, trade.sequence);
  return { ...key, type: "trade", accountId, ...encode(trade) };
}

export function readTrade(item: Record<string, unknown>): StoredTrade {
  const r = new ItemReader(item);
  const realizedPnl = r.optionalDecimal("realizedPnl");
  return {
    accountId: r.string("accountId"),
    symbol: r.string("symbol"),
    timeframe: r.timeframe("timeframe"),
    side: r.oneOf("side", ["BUY", "SELL"] as const),
    baseAsset: r.string("baseAsset"),
    quoteAsset: r.string("quoteAsset"),
    quantity: r.decimal("quantity"),
    price: r.decimal("price"),
    quoteAmount: r.decimal("quoteAmount"),
    fee: r.decimal("fee"),
    reason: r.oneOf("reason", TRADE_REASONS),
    candleTime: r.integer("candleTime"),
    sequence: r.integer("sequence"),
    ...(realizedPnl === undefined ? {} : { realizedPnl }),
  };
}

export function cycleItem(record: CycleRecord, expiresAt: number) {
  const { outcome, settings, filters, basis, ...rest } = record;
  const key = keys.cycle(record.accountId, record.symbol, record.timeframe, record.candleTime);
  return {
    ...key,
    type: "cycle",
    ...encode({ ...rest, expiresAt }),
    outcome: JSON.stringify(outcome),
    ...(settings ? { settings: JSON.stringify(settings) } : {}),
    ...(filters ? { filters: JSON.stringify(filters) } : {}),
    ...(basis ? { basis: JSON.stringify(basis) } : {}),
  };
}

export function readCycle(item: Record<string, unknown>): CycleRecord {
  const r = new ItemReader(item);
  return {
    accountId: r.string("accountId"),
    symbol: r.string("symbol"),
    timeframe: r.timeframe("timeframe"),
    candleTime: r.integer("candleTime"),
    action: r.string("action"),
    outcome: r.json("outcome") as CycleRecord["outcome"],
    recordedAt: r.string("recordedAt"),
    ...(item.settings === undefined ? {} : { settings: r.json("settings") as CycleSettings }),
    ...(item.filters === undefined ? {} : { filters: r.json("filters") as SymbolFilters }),
    ...(item.basis === undefined ? {} : { basis: r.json("basis") as CycleBasis }),
  };
}

export function outboxItem(accountId: string, alert: Alert, queuedAt: string) {
  const { id, subject, message, attributes } = alert;
  const key = keys.outbox(accountId, queuedAt, id);
  return { ...key, type: "outbox", alertId: id, subject, message, ...attributes, queuedAt };
}

const EVENTS: readonly AlertEvent[] = ALERT_EVENTS;

export function readOutboxItem(item: Record<string, unknown>): QueuedAlert {
  const r = new ItemReader(item);
  return {
    ...(item.attempts === undefined ? {} : { attempts: r.integer("attempts") }),
    id: r.string("alertId"),
    subject: r.string("subject"),
    message: r.string("message"),
    queuedAt: r.string("queuedAt"),
    attributes: {
      event: r.oneOf("event", EVENTS),
      symbol: r.string("symbol"),
      timeframe: r.string("timeframe"),
      action: r.string("action"),
    },
  };
}

/** An alert set aside: the outbox item's fields, why, when, and how often it was tried. */
export function deadLetterItem(accountId: string, letter: DeadLetter) {
  const { id, subject, message, attributes, queuedAt, reason, setAsideAt, attempts } = letter;
  return {
    ...keys.deadLetter(accountId, queuedAt, id),
    type: "deadletter",
    alertId: id,
    subject,
    message,
    ...attributes,
    queuedAt,
    reason,
    setAsideAt,
    attempts: num(attempts ?? 0),
  };
}

export function readDeadLetterItem(item: Record<string, unknown>): DeadLetter {
  const r = new ItemReader(item);
  return { ...readOutboxItem(item), reason: r.string("reason"), setAsideAt: r.string("setAsideAt") };
}

/** The note of a live cycle refused for good (why), expiring with the cycle records. */
export function refusedItem(
  accountId: string,
  symbol: string,
  timeframe: string,
  candleTime: number,
  reason: string,
  expiresAt: number,
) {
  return {
    ...keys.refused(accountId, symbol, timeframe, candleTime),
    type: "refused",
    reason,
    expiresAt: num(expiresAt),
  };
}

/** A failure marker or refusal note; the key tells the pair and the candle: …#<symbol>#<timeframe>#<candle ISO time>. */
export function readCycleNote(kind: CycleNote["kind"], item: Record<string, unknown>): CycleNote {
  const [symbol, timeframe, time] = String(item.sk).split("#").slice(-3);
  const reader = new ItemReader({ symbol, timeframe, ...item });
  return {
    kind,
    symbol: reader.string("symbol"),
    timeframe: reader.timeframe("timeframe"),
    candleTime: Date.parse(time ?? ""),
    ...(kind === "refused" ? { reason: reader.string("reason") } : {}),
  };
}

/** A page's position for the caller, opaque: the last key, as base64url JSON. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new RangeError(`"${cursor}" is not a cursor this repository gave out`);
  }
}
