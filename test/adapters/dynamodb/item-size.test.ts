import { NumberValue } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { checkItemSize, itemBytes, MAX_ITEM_BYTES } from "../../../shared/adapters/dynamodb/item-size.ts";
import { ItemTooLargeError } from "../../../shared/application/ports/account-repository.ts";

describe("an item's size, as DynamoDB counts it", () => {
  it("counts names and values: UTF-8 strings, numbers by their digits, maps and lists with their overhead", () => {
    expect(itemBytes({ pk: "ACCOUNT#a" })).toBe(2 + 9);
    expect(itemBytes({ s: "€" })).toBe(1 + 3);
    expect(itemBytes({ n: NumberValue.from("12345.678") })).toBe(1 + 5);
    expect(itemBytes({ m: { a: "x", b: ["y", true] } })).toBe(1 + 3 + (1 + 1 + 1) + (1 + 1 + (3 + 2 + 2)));
  });

  it("refuses an item past 400 KB before anything is sent, naming it and its size", () => {
    const item = { pk: "ACCOUNT#a", sk: "ACCOUNT", risk: "x".repeat(MAX_ITEM_BYTES) };
    expect(() => checkItemSize(item, "account a's item")).toThrow(ItemTooLargeError);
    expect(() => checkItemSize(item, "account a's item")).toThrow(
      /^account a's item would be 409,\d{3} bytes, more than DynamoDB's 409,600; nothing was written$/,
    );
    expect(() => checkItemSize({ risk: "x".repeat(MAX_ITEM_BYTES - 10) }, "it")).not.toThrow();
  });
});
