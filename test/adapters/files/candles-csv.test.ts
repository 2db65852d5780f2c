import { describe, expect, it } from "vitest";
import { parseCandlesCsv, parseUtcTimestamp } from "../../../shared/adapters/files/candles-csv.ts";

const HEADER = "timestamp,open,high,low,close,volume";

describe("parseCandlesCsv", () => {
  it("reads daily and intraday open times as UTC, extra columns allowed", () => {
    const text = `${HEADER},quote_volume,trades\n2025-01-01 04:00:00,1.5,2,1,1.75,10,15,3\n`;
    expect(parseCandlesCsv(text, "x.csv")).toEqual([
      { openTime: Date.UTC(2025, 0, 1, 4), open: 1.5, high: 2, low: 1, close: 1.75, volume: 10 },
    ]);
    expect(parseUtcTimestamp("2023-11-01")).toBe(Date.UTC(2023, 10, 1));
  });

  it.each([
    [
      "time,open,high,low,close,volume\n",
      "line 1 of x.csv: expected the header to start with timestamp,open",
    ],
    [`${HEADER}\n2025-01-01,1,2,1\n`, "line 2 of x.csv: expected 6 fields, got 4"],
    [
      `${HEADER}\n2025-01-01,1,2,1,1,1\n2025-02-30,1,2,1,1,1\n`,
      'line 3 of x.csv: timestamp "2025-02-30" is not a UTC date',
    ],
    [`${HEADER}\n2025-01-01,1,abc,1,1,1\n`, 'line 2 of x.csv: high "abc" is not a finite number'],
    [`${HEADER}\n2025-01-01,1,2,1,inf,1\n`, 'line 2 of x.csv: close "inf" is not a finite number'],
    [`${HEADER}\n2025-01-01,1,2,1,1e999,1\n`, 'line 2 of x.csv: close "1e999" is not a finite number'],
    [`${HEADER}\n2025-01-01,1,2,1,1,\n`, 'line 2 of x.csv: volume "" is not a finite number'],
  ])("rejects a malformed file, naming the line (%#)", (text, message) => {
    expect(() => parseCandlesCsv(text, "x.csv")).toThrowError(message);
  });
});
