import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type { CycleCommit } from "../../application/ports/account-repository.ts";
import { riskStateJson } from "../../application/state-json.ts";
import { sumMovements } from "../../domain/account/ledger.ts";
import { ZERO } from "../../domain/money/decimal.ts";
import { cycleItem, outboxItem, positionItem, tradeItem } from "./item-codec.ts";
import { num } from "./item-reader.ts";
import { checkItemSize } from "./item-size.ts";
import { keys } from "./table-definition.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export interface CycleTransaction {
  readonly items: TransactItem[];
  /** Where the account update and the position change sit in `items` (-1: absent), to read cancellation reasons. */
  readonly accountIndex: number;
  readonly positionIndex: number;
  readonly pairIndex: number;
}

/** Moves each asset by the trades' sum; refuses to go below zero or past a newer version. */
function balanceUpdate(table: string, commit: CycleCommit): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ":expected": num(commit.expectedVersion),
    ":one": num(1),
  };
  const sets = ["version = version + :one"];
  const conditions = ["version = :expected"];
  if (commit.risk) {
    names["#risk"] = "risk";
    values[":risk"] = JSON.stringify(riskStateJson(commit.risk));
    sets.push("#risk = :risk");
  }
  Object.entries(sumMovements(commit.trades)).forEach(([asset, delta], i) => {
    names[`#a${i}`] = asset;
    values[`:d${i}`] = num(delta);
    values[":zero"] = num(0);
    sets.push(`balances.#a${i} = if_not_exists(balances.#a${i}, :zero) + :d${i}`);
    if (delta.lt(ZERO)) {
      values[`:need${i}`] = num(delta.neg());
      conditions.push(`balances.#a${i} >= :need${i}`);
    }
  });
  return {
    Update: {
      TableName: table,
      Key: keys.account(commit.cycle.accountId),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: conditions.join(" AND "),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

function positionChange(table: string, commit: CycleCommit): TransactItem | undefined {
  const accountId = commit.cycle.accountId;
  const change = commit.position;
  if (change?.kind === "put") {
    const { position, previousVersion } = change;
    return {
      Put: {
        TableName: table,
        Item: positionItem(accountId, { ...position, version: (previousVersion ?? 0) + 1 }),
        ...(previousVersion === undefined
          ? { ConditionExpression: "attribute_not_exists(pk)" }
          : {
              ConditionExpression: "version = :v",
              ExpressionAttributeValues: { ":v": num(previousVersion) },
            }),
      },
    };
  }
  if (change?.kind === "delete") {
    return {
      Delete: {
        TableName: table,
        Key: keys.position(accountId, change.symbol, change.timeframe),
        ConditionExpression: "version = :v",
        ExpressionAttributeValues: { ":v": num(change.previousVersion) },
      },
    };
  }
  return undefined;
}

/** The pair's last committed candle moves forward, or the transaction is refused. */
function pairAdvance(table: string, cycle: CycleCommit["cycle"]): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: keys.pair(cycle.accountId, cycle.symbol, cycle.timeframe),
      UpdateExpression: "SET lastCandle = :candle, #type = :pair",
      ConditionExpression: "attribute_not_exists(lastCandle) OR lastCandle < :candle",
      ExpressionAttributeNames: { "#type": "type" },
      ExpressionAttributeValues: { ":candle": num(cycle.candleTime), ":pair": "pair" },
    },
  };
}

/** The account item keeps its balances and a few fields beside the protections' state: at most this (bytes). */
const ACCOUNT_ITEM_RESERVE = 4 * 1024;

/** Every item the transaction writes stays under DynamoDB's item size, checked before anything is sent. */
function checkSizes(items: readonly TransactItem[], accountId: string): void {
  for (const item of items) {
    const put = item.Put?.Item;
    if (put) checkItemSize(put, `the ${String(put.type ?? "")} item ${String(put.sk)}`);
    const risk = item.Update?.ExpressionAttributeValues?.[":risk"];
    if (risk !== undefined)
      checkItemSize(
        { risk },
        `account ${accountId}'s item with its protections' state`,
        ACCOUNT_ITEM_RESERVE,
      );
  }
}

/**
 * Everything one cycle writes, as one TransactWriteItems: the cycle record (only if new), the
 * pair's last candle (only forward), the balances (only on the version decided on, never below
 * zero), the position (only on its own version), the ledger entries (only if new) and the alerts
 * that tell of them (the outbox).
 */
export function cycleTransaction(table: string, commit: CycleCommit, expiresAt: number): CycleTransaction {
  const { cycle, trades } = commit;
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table,
        Item: cycleItem(cycle, expiresAt),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ];
  const pairIndex = items.push(pairAdvance(table, cycle)) - 1;
  const accountIndex = trades.length > 0 || commit.risk ? items.push(balanceUpdate(table, commit)) - 1 : -1;
  const position = positionChange(table, commit);
  const positionIndex = position ? items.push(position) - 1 : -1;
  for (const trade of trades) {
    items.push({
      Put: {
        TableName: table,
        Item: tradeItem(cycle.accountId, trade),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }
  for (const alert of commit.alerts ?? []) {
    items.push({
      Put: {
        TableName: table,
        Item: outboxItem(cycle.accountId, alert, cycle.recordedAt),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }
  checkSizes(items, cycle.accountId);
  return { items, accountIndex, positionIndex, pairIndex };
}
