import { iso } from "../../domain/market/utc.ts";

/**
 * The account table, single-table design. The one definition the CDK stack, the local store
 * and the tests create the table from.
 *
 * | item        | pk                 | sk                                          |
 * |-------------|--------------------|---------------------------------------------|
 * | account     | `ACCOUNT#<id>`     | `ACCOUNT`                                   |
 * | position    | `ACCOUNT#<id>`     | `POSITION#<symbol>#<timeframe>`             |
 * | trade       | `ACCOUNT#<id>`     | `TRADE#<candle ISO time>#<symbol>#<timeframe>#<seq>` |
 * | cycle       | `ACCOUNT#<id>`     | `CYCLE#<symbol>#<timeframe>#<candle ISO time>`       |
 * | pair        | `ACCOUNT#<id>`     | `PAIR#<symbol>#<timeframe>` (the last candle committed) |
 * | alert queued once | `ACCOUNT#<id>` | `ALERT#<FAILURE or SIGNAL-strategy>#<symbol>#<timeframe>#<candle ISO time>` |
 * | alert to send | `ACCOUNT#<id>`   | `OUTBOX#<queued ISO time>#<alert id>` (gone once sent) |
 * | alert set aside | `ACCOUNT#<id>` | `DEADLETTER#<queued ISO time>#<alert id>` (refused for good, or tried too often) |
 * | refused cycle | `ACCOUNT#<id>`   | `REFUSED#<symbol>#<timeframe>#<candle ISO time>` (why, for `npm run report`) |
 *
 * Every read is a GetItem or a Query on one account's partition, so no GSI is needed.
 * Cycle records, alert markers and refusal notes expire through the TTL attribute.
 */
export const TABLE_DEFINITION = {
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  timeToLiveAttribute: "expiresAt",
  billingMode: "PAY_PER_REQUEST",
} as const;

/** The CreateTable input for the SDK (local store and tests). */
export function createTableInput(tableName: string) {
  const { partitionKey, sortKey } = TABLE_DEFINITION;
  return {
    TableName: tableName,
    KeySchema: [
      { AttributeName: partitionKey.name, KeyType: "HASH" as const },
      { AttributeName: sortKey.name, KeyType: "RANGE" as const },
    ],
    AttributeDefinitions: [
      { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
      { AttributeName: sortKey.name, AttributeType: sortKey.type },
    ],
    BillingMode: TABLE_DEFINITION.billingMode,
  };
}

export const keys = {
  account: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: "ACCOUNT" }),
  position: (accountId: string, symbol: string, timeframe: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `POSITION#${symbol}#${timeframe}`,
  }),
  trade: (accountId: string, candleTime: number, symbol: string, timeframe: string, sequence: number) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `TRADE#${iso(candleTime)}#${symbol}#${timeframe}#${sequence}`,
  }),
  cycle: (accountId: string, symbol: string, timeframe: string, candleTime: number) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `CYCLE#${symbol}#${timeframe}#${iso(candleTime)}`,
  }),
  pair: (accountId: string, symbol: string, timeframe: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `PAIR#${symbol}#${timeframe}`,
  }),
  deadLetter: (accountId: string, queuedAt: string, alertId: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `DEADLETTER#${queuedAt}#${alertId}`,
  }),
  outbox: (accountId: string, queuedAt: string, alertId: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `OUTBOX#${queuedAt}#${alertId}`,
  }),
  refused: (accountId: string, symbol: string, timeframe: string, candleTime: number) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `REFUSED#${symbol}#${timeframe}#${iso(candleTime)}`,
  }),
  alertOnce: (accountId: string, kind: string, symbol: string, timeframe: string, candleTime: number) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `ALERT#${kind}#${symbol}#${timeframe}#${iso(candleTime)}`,
  }),
} as const;
