/**
 * TransactWriteItems for a DynamoDB-compatible server that lacks it (dynalite), built from its
 * single-item operations: each action runs with its own condition, and if one fails every
 * action already applied is undone from the item images saved before it. The caller holds a
 * lock that keeps every other request out meanwhile, so the whole is atomic and isolated.
 */
export type AttributeMap = Record<string, unknown>;
type Call = (operation: string, body: AttributeMap) => Promise<{ status: number; body: AttributeMap }>;

interface Action {
  kind: "Put" | "Update" | "Delete" | "ConditionCheck";
  spec: AttributeMap & { TableName: string };
}

export interface TransactOutcome {
  status: number;
  body: AttributeMap;
}

const cancelled = (reasons: AttributeMap[]): TransactOutcome => ({
  status: 400,
  body: {
    __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
    CancellationReasons: reasons,
  },
});

const validation = (message: string): TransactOutcome => ({
  status: 400,
  body: { __type: "com.amazon.coral.validate#ValidationException", message },
});

export async function transactWrite(request: AttributeMap, call: Call): Promise<TransactOutcome> {
  const items = request.TransactItems;
  if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
    return validation("TransactItems must hold 1 to 100 actions");
  }
  const actions: Action[] = items.map((item: AttributeMap) => {
    const kind = (["Put", "Update", "Delete", "ConditionCheck"] as const).find((k) => item[k] !== undefined);
    return { kind: kind ?? "Put", spec: item[kind ?? "Put"] as Action["spec"] };
  });
  const keys: AttributeMap[] = [];
  for (const action of actions) {
    const key = action.kind === "Put" ? await keyOf(action.spec, call) : (action.spec.Key as AttributeMap);
    keys.push(key);
  }
  const ids = keys.map((key, i) => `${actions[i]?.spec.TableName}|${JSON.stringify(sortKeys(key))}`);
  if (new Set(ids).size !== ids.length) {
    return validation("Transaction request cannot include multiple operations on one item");
  }

  const undo: { table: string; key: AttributeMap; before: AttributeMap | undefined }[] = [];
  for (let i = 0; i < actions.length; i++) {
    const { kind, spec } = actions[i] as Action;
    const key = keys[i] as AttributeMap;
    const before = await call("GetItem", { TableName: spec.TableName, Key: key, ConsistentRead: true });
    undo.push({ table: spec.TableName, key, before: before.body.Item as AttributeMap | undefined });
    const { ReturnValuesOnConditionCheckFailure: returnItem, ...rest } = spec;
    const result = await call(...single(kind, rest, key));
    if (result.status === 200) continue;
    await rollback(undo, call);
    const type = String(result.body.__type ?? "");
    if (!type.endsWith("ConditionalCheckFailedException")) return result;
    const reasons = actions.map((_, k): AttributeMap => {
      if (k !== i) return { Code: "None" };
      const reason: AttributeMap = {
        Code: "ConditionalCheckFailed",
        Message: "The conditional request failed",
      };
      if (returnItem === "ALL_OLD" && undo[i]?.before) reason.Item = undo[i]?.before;
      return reason;
    });
    return cancelled(reasons);
  }
  // A ConditionCheck wrote a marker to evaluate its condition: put those items back as they were.
  await rollback(
    undo.filter((_, i) => actions[i]?.kind === "ConditionCheck"),
    call,
  );
  return { status: 200, body: {} };
}

function single(kind: Action["kind"], spec: AttributeMap, key: AttributeMap): [string, AttributeMap] {
  if (kind === "Put") return ["PutItem", spec];
  if (kind === "Update") return ["UpdateItem", spec];
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

async function rollback(
  undo: { table: string; key: AttributeMap; before: AttributeMap | undefined }[],
  call: Call,
) {
  for (const { table, key, before } of [...undo].reverse()) {
    if (before) await call("PutItem", { TableName: table, Item: before });
    else await call("DeleteItem", { TableName: table, Key: key });
  }
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
