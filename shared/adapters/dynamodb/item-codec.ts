import type { CycleRecord, StoredTrade } from "../../application/ports/account-repository.ts";
import type { Account, Position, Trade } from "../../domain/account/account.ts";
import { ItemReader, num } from "./item-reader.ts";
import { keys } from "./table-definition.ts";

/** Items as stored, and back: every number is written as an exact DynamoDB number. */

export function accountItem(account: Account) {
  const balances = Object.fromEntries(
    Object.entries(account.balances).map(([asset, value]) => [asset, num(value)]),
  );
  return {
    ...keys.account(account.id),
    type: "account",
    accountId: account.id,
    quoteAsset: account.quoteAsset,
    initialBalance: num(account.initialBalance),
    balances,
    createdAt: account.createdAt,
    version: num(account.version),
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
  };
}

export function positionItem(accountId: string, position: Position) {
  return {
    ...keys.position(accountId, position.symbol, position.timeframe),
    type: "position",
    symbol: position.symbol,
    timeframe: position.timeframe,
    baseAsset: position.baseAsset,
    quantity: num(position.quantity),
    entryPrice: num(position.entryPrice),
    entryTime: num(position.entryTime),
    stopLoss: num(position.stopLoss),
    takeProfit1: num(position.takeProfit1),
    takeProfit2: num(position.takeProfit2),
    tp1Taken: position.tp1Taken,
    lastEvaluated: num(position.lastEvaluated),
    markPrice: num(position.markPrice),
    version: num(position.version),
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
    stopLoss: r.decimal("stopLoss"),
    takeProfit1: r.decimal("takeProfit1"),
    takeProfit2: r.decimal("takeProfit2"),
    tp1Taken: r.boolean("tp1Taken"),
    lastEvaluated: r.integer("lastEvaluated"),
    markPrice: r.decimal("markPrice"),
    version: r.integer("version"),
  };
}

export function tradeItem(accountId: string, trade: Trade) {
  return {
    ...keys.trade(accountId, trade.candleTime, trade.symbol, trade.timeframe, trade.sequence),
    type: "trade",
    accountId,
    symbol: trade.symbol,
    timeframe: trade.timeframe,
    side: trade.side,
    baseAsset: trade.baseAsset,
    quoteAsset: trade.quoteAsset,
    quantity: num(trade.quantity),
    price: num(trade.price),
    quoteAmount: num(trade.quoteAmount),
    fee: num(trade.fee),
    reason: trade.reason,
    candleTime: num(trade.candleTime),
    sequence: num(trade.sequence),
    ...(trade.realizedPnl === undefined ? {} : { realizedPnl: num(trade.realizedPnl) }),
  };
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
    reason: r.oneOf("reason", ["entry", "stop", "tp1", "tp2", "signal"] as const),
    candleTime: r.integer("candleTime"),
    sequence: r.integer("sequence"),
    ...(realizedPnl === undefined ? {} : { realizedPnl }),
  };
}

export function cycleItem(record: CycleRecord, expiresAt: number) {
  return {
    ...keys.cycle(record.accountId, record.symbol, record.timeframe, record.candleTime),
    type: "cycle",
    accountId: record.accountId,
    symbol: record.symbol,
    timeframe: record.timeframe,
    candleTime: num(record.candleTime),
    action: record.action,
    outcome: JSON.stringify(record.outcome),
    recordedAt: record.recordedAt,
    expiresAt: num(expiresAt),
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
  };
}
