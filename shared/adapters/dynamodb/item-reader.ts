import { NumberValue } from "@aws-sdk/lib-dynamodb";
import { CorruptItemError } from "../../application/ports/account-repository.ts";
import { isTimeframe, type Timeframe } from "../../domain/market/timeframe.ts";
import { type Decimal, dec } from "../../domain/money/decimal.ts";

/** A DynamoDB number written exactly, from a decimal's text. */
export const num = (value: Decimal | number): NumberValue => NumberValue.from(value.toString());

/**
 * Reads one item's attributes with their expected types. Anything missing or malformed throws
 * CorruptItemError naming the item's key and the attribute, never a default.
 */
export class ItemReader {
  readonly #item: Record<string, unknown>;
  readonly #where: string;

  constructor(item: Record<string, unknown>) {
    this.#item = item;
    this.#where = `item pk=${String(item.pk)} sk=${String(item.sk)}`;
  }

  #fail(name: string, problem: string): never {
    throw new CorruptItemError(`${this.#where}: attribute ${name} ${problem}`);
  }

  #get(name: string, from: Record<string, unknown> = this.#item): unknown {
    const value = from[name];
    if (value === undefined || value === null) this.#fail(name, "is missing");
    return value;
  }

  string(name: string): string {
    const value = this.#get(name);
    if (typeof value !== "string") this.#fail(name, `is not a string: ${JSON.stringify(value)}`);
    return value;
  }

  /** A string attribute holding JSON. */
  json(name: string): unknown {
    const text = this.string(name);
    try {
      return JSON.parse(text);
    } catch {
      return this.#fail(name, `is not JSON: ${JSON.stringify(text.slice(0, 40))}`);
    }
  }

  /** A string attribute holding JSON, read by `parse` (whose error says what is wrong). */
  parsed<T>(name: string, parse: (value: unknown, where: string) => T): T {
    const value = this.json(name);
    try {
      return parse(value, `${this.#where}: attribute ${name}`);
    } catch (error) {
      throw new CorruptItemError((error as Error).message);
    }
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.string(name);
    if (!allowed.includes(value as T)) this.#fail(name, `is not one of ${allowed.join(", ")}: "${value}"`);
    return value as T;
  }

  timeframe(name: string): Timeframe {
    const value = this.string(name);
    if (!isTimeframe(value)) this.#fail(name, `is not a timeframe: "${value}"`);
    return value;
  }

  boolean(name: string): boolean {
    const value = this.#get(name);
    if (typeof value !== "boolean") this.#fail(name, `is not a boolean: ${JSON.stringify(value)}`);
    return value;
  }

  decimal(name: string, from?: Record<string, unknown>, label = name): Decimal {
    const value = this.#get(name, from);
    const text = value instanceof NumberValue ? value.value : typeof value === "string" ? value : undefined;
    if (text === undefined) this.#fail(label, `is not a number: ${JSON.stringify(value)}`);
    try {
      return dec(text);
    } catch {
      return this.#fail(label, `is not a decimal: "${text}"`);
    }
  }

  optionalDecimal(name: string): Decimal | undefined {
    return this.#item[name] === undefined ? undefined : this.decimal(name);
  }

  integer(name: string): number {
    const value = this.decimal(name);
    const number = Number(value.toString());
    if (!Number.isSafeInteger(number)) this.#fail(name, `is not a whole number: ${value.toString()}`);
    return number;
  }

  decimalMap(name: string): Record<string, Decimal> {
    const map = this.#get(name);
    if (typeof map !== "object" || map === null || map instanceof NumberValue)
      this.#fail(name, "is not a map");
    const entries = Object.keys(map as Record<string, unknown>).map((key) => [
      key,
      this.decimal(key, map as Record<string, unknown>, `${name}.${key}`),
    ]);
    return Object.fromEntries(entries);
  }
}
