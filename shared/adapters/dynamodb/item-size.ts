import { NumberValue } from "@aws-sdk/lib-dynamodb";
import { ItemTooLargeError } from "../../application/ports/account-repository.ts";

/** DynamoDB's largest item, attribute names and values together (bytes). */
export const MAX_ITEM_BYTES = 400 * 1024;

const utf8 = (text: string) => Buffer.byteLength(text, "utf8");

/** A number's stored size: about one byte per two significant digits, plus one. */
function numberBytes(text: string): number {
  const digits = text.replace(/^-/, "").replace(/e.*$/i, "").replace(".", "").replace(/^0+/, "");
  return Math.ceil(digits.length / 2) + 1;
}

/** One value's size as DynamoDB counts it (strings in UTF-8, maps and lists with 3 bytes of their own and 1 per element). */
function valueBytes(value: unknown): number {
  if (typeof value === "string") return utf8(value);
  if (typeof value === "number" || typeof value === "bigint") return numberBytes(String(value));
  if (value instanceof NumberValue) return numberBytes(value.toString());
  if (typeof value === "boolean" || value === null || value === undefined) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueBytes(v), 0);
  if (typeof value === "object")
    return 3 + Object.entries(value).reduce((sum, [k, v]) => sum + 1 + utf8(k) + valueBytes(v), 0);
  return utf8(String(value));
}

/** An item's size: every attribute's name and value. */
export const itemBytes = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);

/** Refuses an item that DynamoDB would refuse (ValidationException), before anything is sent. */
export function checkItemSize(item: Record<string, unknown>, what: string, reserve = 0): void {
  const bytes = itemBytes(item) + reserve;
  if (bytes > MAX_ITEM_BYTES)
    throw new ItemTooLargeError(
      `${what} would be ${bytes.toLocaleString("en")} bytes, more than DynamoDB's ${MAX_ITEM_BYTES.toLocaleString("en")}; nothing was written`,
    );
}
