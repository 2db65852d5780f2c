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

  describe("a candle's identity, given the interval asked for", () => {
    const H4 = 4 * 3_600_000;
    const at = (iso: string) => Date.parse(iso);
    const candle = (openTime: number, closeTime = openTime + H4 - 1) => row(openTime, { 6: closeTime });

    it("takes a 4h candle on the grid whose close time is open + 4h − 1 ms", () => {
      const [k] = parseKlines([candle(at("2025-05-18T16:00:00Z"))], "test", "4h");
      expect(k?.closeTime).toBe(at("2025-05-18T19:59:59.999Z"));
    });

    it("refuses a forming candle reported with a close time already past (a skewed mirror)", () => {
      const open = at("2025-05-18T16:00:00Z");
      expect(() => parseKlines([candle(open, open + 60_000)], "klines BNBUSDT 4h", "4h")).toThrowError(
        "klines BNBUSDT 4h, kline 0: open time 2025-05-18T16:00:00.000Z: close time 2025-05-18T16:01:00.000Z is not 2025-05-18T19:59:59.999Z (open + 4h − 1 ms)",
      );
    });

    it("refuses a 4h candle opening at 05:00, and a weekly one not on a Monday", () => {
      expect(() => parseKlines([candle(at("2025-05-18T05:00:00Z"))], "t", "4h")).toThrowError(
        "t, kline 0: open time 2025-05-18T05:00:00.000Z is not on the 4h grid",
      );
      const WEEK = 7 * 86_400_000;
      const monday = at("2025-05-19T00:00:00Z");
      expect(parseKlines([row(monday, { 6: monday + WEEK - 1 })], "t", "1w")).toHaveLength(1);
      const thursday = at("2025-05-22T00:00:00Z");
      expect(() => parseKlines([row(thursday, { 6: thursday + WEEK - 1 })], "t", "1w")).toThrowError(
        "is not on the 1w grid (weeks open on Mondays, UTC)",
      );
    });
  });
});
