import { describe, expect, it } from "vitest";
import { MalformedResponseError } from "../../../shared/adapters/binance/binance-errors.ts";
import { parseKlines } from "../../../shared/adapters/binance/kline-parser.ts";

const row = (openTime: number, over: Record<number, unknown> = {}): unknown[] => {
  const base: unknown[] = [
    openTime,
    "1.5",
    "2.0",
    "1.0",
    "1.75",
    "10",
    openTime + 59_999,
    "15",
    3,
    "5",
    "7",
    "0",
  ];
  for (const [k, v] of Object.entries(over)) base[Number(k)] = v;
  return base;
};

describe("parseKlines", () => {
  it("reads Binance's 12-field rows", () => {
    expect(parseKlines([row(0), row(60_000)], "test")).toEqual([
      { openTime: 0, open: 1.5, high: 2, low: 1, close: 1.75, volume: 10, closeTime: 59_999 },
      { openTime: 60_000, open: 1.5, high: 2, low: 1, close: 1.75, volume: 10, closeTime: 119_999 },
    ]);
  });

  it.each([
    [{ rows: "x" }, "test: expected an array of klines"],
    [[row(0).slice(0, 11)], "test, kline 0: expected 12 fields, got 11"],
    [[row(0, { 2: 2.0 })], "test, kline 0: high 2 is not a decimal string"],
    [[row(0, { 4: "NaN" })], 'test, kline 0: close "NaN" is not a decimal string'],
    [[row(0, { 5: "1e5" })], 'test, kline 0: volume "1e5" is not a decimal string'],
    [[row(0, { 0: "0" })], 'test, kline 0: open time "0" is not an integer'],
    [[row(0, { 3: "3.0" })], "test, kline 0 (open time 1970-01-01T00:00:00.000Z): high 2 is below low 3"],
    [
      [row(0, { 1: "0", 3: "0" })],
      "kline 0 (open time 1970-01-01T00:00:00.000Z): open 0 is not a positive price",
    ],
    [[row(0, { 3: "0.00" })], "low 0 is not a positive price"],
    [[row(0, { 4: "2.5" })], "close 2.5 lies outside [low 1, high 2]"],
    [[row(0, { 1: "0.5" })], "open 0.5 lies outside [low 1, high 2]"],
    [[row(60_000), row(60_000)], "test, kline 1: open time 60000 does not follow 60000"],
  ])("rejects what is not Binance's format (%#)", (body, message) => {
    expect(() => parseKlines(body, "test")).toThrowError(MalformedResponseError);
    expect(() => parseKlines(body, "test")).toThrowError(message);
  });
});
