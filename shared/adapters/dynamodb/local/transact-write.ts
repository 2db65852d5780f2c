/**
 * TransactWriteItems for a DynamoDB-compatible server that lacks it (dynalite), built from its
 * single-item operations, answering as DynamoDB does:
 * - the images of every item are read first and handed to the journal (so a process killed
 *   half-way can put them back on restart), then each action runs with its own condition;
 * - every failing condition is reported (`ConditionalCheckFailed`, the others `None`), and then
 *   every action already applied is undone from the saved images;
 * - a request over 4 MB, or arithmetic beyond 38 significant digits, is a ValidationException.
 * The caller holds a lock that keeps every other request out meanwhile, so the whole is atomic
 * and isolated. ClientRequestToken is honoured by `idempotent-transactions.ts`.
 */
export type AttributeMap = Record<string, unknown>;
export type Call = (operation: string, body: AttributeMap) => Promise<{ status: number; body: AttributeMap }>;

interface Action {
  kind: "Put" | "Update" | "Delete" | "ConditionCheck";
  spec: AttributeMap & { TableName: string };
}

export interface TransactOutcome {
  status: number;
  body: AttributeMap;
}

/** An item as it was before the transaction touched it (absent: it did not exist). */
export interface ItemImage {
  table: string;
  key: AttributeMap;
  before: AttributeMap | undefined;
}

/** Where the images are kept while a transaction is applied (a file, for a persisted store). */
export interface TransactionJournal {
  begin(images: ItemImage[]): Promise<void>;
  end(): Promise<void>;
}

const NO_JOURNAL: TransactionJournal = { begin: async () => {}, end: async () => {} };
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const MAX_DIGITS = 38;

const cancelled = (reasons: AttributeMap[]): TransactOutcome => ({
  status: 400,
  body: {
    __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
    CancellationReasons: reasons,
  },
});

export const validation = (message: string): TransactOutcome => ({
  status: 400,
  body: { __type: "com.amazon.coral.validate#ValidationException", message },
});

export async function transactWrite(
  request: AttributeMap,
  call: Call,
  journal: TransactionJournal = NO_JOURNAL,
): Promise<TransactOutcome> {
  const items = request.TransactItems;
  if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
    return validation("TransactItems must hold 1 to 100 actions");
  }
  if (Buffer.byteLength(JSON.stringify(items)) > MAX_REQUEST_BYTES) {
    return validation("Transaction request cannot be larger than 4 MB");
  }
  const actions: Action[] = items.map((item: AttributeMap) => {
    const kind = (["Put", "Update", "Delete", "ConditionCheck"] as const).find((k) => item[k] !== undefined);
    return { kind: kind ?? "Put", spec: item[kind ?? "Put"] as Action["spec"] };
  });
  const keys: AttributeMap[] = [];
  for (const action of actions) {
    keys.push(action.kind === "Put" ? await keyOf(action.spec, call) : (action.spec.Key as AttributeMap));
  }
  const ids = keys.map((key, i) => `${actions[i]?.spec.TableName}|${JSON.stringify(sortKeys(key))}`);
  if (new Set(ids).size !== ids.length) {
    return validation("Transaction request cannot include multiple operations on one item");
  }

  const images: ItemImage[] = [];
  for (const [i, { spec }] of actions.entries()) {
    const key = keys[i] as AttributeMap;
    const before = await call("GetItem", { TableName: spec.TableName, Key: key, ConsistentRead: true });
    images.push({ table: spec.TableName, key, before: before.body.Item as AttributeMap | undefined });
  }
  await journal.begin(images);
  const outcome = await apply(actions, keys, images, call);
  // A ConditionCheck wrote a marker to evaluate its condition: put those items back as they were.
  if (outcome.status === 200)
    await rollback(
      images.filter((_, i) => actions[i]?.kind === "ConditionCheck"),
      call,
    );
  else await rollback(images, call);
  await journal.end();
  return outcome;
}

async function apply(actions: Action[], keys: AttributeMap[], images: ItemImage[], call: Call) {
  const reasons: AttributeMap[] = [];
  for (const [i, { kind, spec }] of actions.entries()) {
    const { ReturnValuesOnConditionCheckFailure: returnItem, ...rest } = spec;
    const result = await call(...single(kind, rest, keys[i] as AttributeMap));
    if (result.status === 200) {
      const digits = tooPrecise(result.body.Attributes as AttributeMap | undefined);
      if (digits)
        return validation(`Attempting to store more than ${MAX_DIGITS} significant digits in a Number`);
      reasons.push({ Code: "None" });
      continue;
    }
    if (!String(result.body.__type ?? "").endsWith("ConditionalCheckFailedException")) return result;
    const reason: AttributeMap = {
      Code: "ConditionalCheckFailed",
      Message: "The conditional request failed",
    };
    if (returnItem === "ALL_OLD" && images[i]?.before) reason.Item = images[i]?.before;
    reasons.push(reason);
  }
  return reasons.some((r) => r.Code !== "None") ? cancelled(reasons) : { status: 200, body: {} };
}

function single(kind: Action["kind"], spec: AttributeMap, key: AttributeMap): [string, AttributeMap] {
  if (kind === "Put") return ["PutItem", spec];
  if (kind === "Update") return ["UpdateItem", { ...spec, ReturnValues: "ALL_NEW" }];
  if (kind === "Delete") return ["DeleteItem", spec];
  const names = { ...(spec.ExpressionAttributeNames as AttributeMap | undefined), "#txcheck": "__txcheck" };
  const values = {
    ...(spec.ExpressionAttributeValues as AttributeMap | undefined),
    ":txcheck": { BOOL: true },
  };
  return [
    "UpdateItem",
    {
      TableName: spec.TableName,
      Key: key,
      ConditionExpression: spec.ConditionExpression,
      UpdateExpression: "SET #txcheck = :txcheck",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  ];
}

/** Puts the items back as the images show them, last touched first. */
export async function rollback(images: ItemImage[], call: Call) {
  for (const { table, key, before } of [...images].reverse()) {
    if (before) await call("PutItem", { TableName: table, Item: before });
    else await call("DeleteItem", { TableName: table, Key: key });
  }
}

/** True when a number anywhere in the item has more significant digits than DynamoDB keeps. */
function tooPrecise(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(tooPrecise);
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([type, inner]) =>
    type === "N" && typeof inner === "string" ? significantDigits(inner) > MAX_DIGITS : tooPrecise(inner),
  );
}

function significantDigits(number: string): number {
  const mantissa = (number.split(/[eE]/)[0] ?? "").replace(/[-+.]/g, "");
  return mantissa.replace(/^0+/, "").replace(/0+$/, "").length;
}

const keySchemas = new Map<string, string[]>();

async function keyOf(spec: AttributeMap & { TableName: string }, call: Call): Promise<AttributeMap> {
  let names = keySchemas.get(spec.TableName);
  if (!names) {
    const described = await call("DescribeTable", { TableName: spec.TableName });
    const schema =
      (described.body.Table as { KeySchema?: { AttributeName: string }[] } | undefined)?.KeySchema ?? [];
    names = schema.map((k) => k.AttributeName);
    keySchemas.set(spec.TableName, names);
  }
  const item = spec.Item as AttributeMap;
  return Object.fromEntries(names.map((name) => [name, item[name]]));
}

function sortKeys(key: AttributeMap): AttributeMap {
  return Object.fromEntries(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)));
}
