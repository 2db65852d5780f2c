import { describe, expect, it } from "vitest";
import {
  money,
  percent,
  percentOf,
  price,
  quantity,
  signedMoney,
  utcTime,
} from "../../shared/application/format.ts";
import { dec } from "../../shared/domain/money/decimal.ts";

describe("one formatter for people", () => {
  it("writes USDT with 2 decimals, rounded half up from the exact value, and signs what is a change", () => {
    expect(money("-49.7787917")).toBe("-49.78");
    expect(money("9999.50034421")).toBe("9999.50");
    expect(money("0.005")).toBe("0.01");
    expect(signedMoney("59.335")).toBe("+59.34");
    expect(signedMoney("-0.5")).toBe("-0.50");
  });

  it("writes prices to the tick and quantities to the step", () => {
    expect(price("870.1", "0.01000000")).toBe("870.10");
    expect(price("606.9700", "0.01")).toBe("606.97");
    expect(quantity("1.5", "0.00100000")).toBe("1.500");
    expect(quantity("0.00969", "0.00001")).toBe("0.00969");
  });

  it("writes percentages signed with 2 decimals, exact ones from decimals", () => {
    expect(percent(4.016)).toBe("+4.02 %");
    expect(percent(-0.514)).toBe("-0.51 %");
    expect(percent(null)).toBe("n/a");
    expect(percentOf(dec("-49.7787917"), dec("999.95"))).toBe("-4.98 %");
    expect(percentOf(dec("1"), dec("0"))).toBe("n/a");
  });

  it("writes times as YYYY-MM-DD HH:MM UTC", () => {
    expect(utcTime(Date.UTC(2025, 4, 18, 20))).toBe("2025-05-18 20:00 UTC");
    expect(utcTime("2025-06-22T16:00:00.000Z")).toBe("2025-06-22 16:00 UTC");
    expect(utcTime(null)).toBe("—");
  });
});
