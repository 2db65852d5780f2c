import type { AttributeMap, TransactOutcome } from "./transact-write.ts";

/**
 * UpdateTimeToLive and DescribeTimeToLive, which dynalite lacks, answered as DynamoDB does (the
 * setting is kept; nothing expires in the local store).
 */
export class TimeToLiveSettings {
  readonly #attribute = new Map<string, string>();

  handle(operation: string, request: AttributeMap): TransactOutcome | undefined {
    const table = String(request.TableName ?? "");
    if (operation === "DescribeTimeToLive") {
      const attribute = this.#attribute.get(table);
      return ok({
        TimeToLiveDescription: attribute
          ? { AttributeName: attribute, TimeToLiveStatus: "ENABLED" }
          : { TimeToLiveStatus: "DISABLED" },
      });
    }
    if (operation !== "UpdateTimeToLive") return undefined;
    const spec = request.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    if (!spec?.AttributeName || typeof spec.Enabled !== "boolean") {
      return invalid("TimeToLiveSpecification needs AttributeName and Enabled");
    }
    const current = this.#attribute.get(table);
    if (spec.Enabled && current) return invalid("TimeToLive is already enabled");
    if (!spec.Enabled && !current) return invalid("TimeToLive is already disabled");
    if (spec.Enabled) this.#attribute.set(table, spec.AttributeName);
    else this.#attribute.delete(table);
    return ok({ TimeToLiveSpecification: spec });
  }
}

const ok = (body: AttributeMap): TransactOutcome => ({ status: 200, body });
const invalid = (message: string): TransactOutcome => ({
  status: 400,
  body: { __type: "com.amazon.coral.validate#ValidationException", message },
});
