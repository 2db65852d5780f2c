import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closeUnits, quietCheck, quietEquity } from "../../../shared/application/optimize/quiet-candle.ts";
import { toCandleSeries } from "../../../shared/domain/market/candle-series.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { position } from "../../helpers/trades.ts";

/** The shortcut at the only candle of a series. */
const quietAt = (check: ReturnType<typeof quietCheck>, s: ReturnType<typeof series>) =>
  quietEquity(check, s, closeUnits(s), 0);
const series = (low: number, high: number, close: number) =>
  toCandleSeries([{ openTime: 0, open: close, high, low, close, volume: 1 }]);

describe("a quiet candle (the optimizer's shortcut)", () => {
  const held = position({
    quantity: dec("1.567"),
    stopLoss: dec("606.97"),
    takeProfit1: dec("760.65"),
    takeProfit2: dec("870.1"),
    trailing: { activation: dec("650.8926"), distance: dec("0.01"), raised: false },
  });
  const check = quietCheck(held, dec("9000.05034029"));

  it("is not quiet when the candle reaches an exit or starts the trailing stop, at the level itself", () => {
    expect(quietAt(check, series(606.97, 640, 630))).toBeUndefined(); // low at the stop
    expect(quietAt(check, series(610, 760.65, 630))).toBeUndefined(); // high at take-profit 1
    expect(quietAt(check, series(610, 640, 650.8926))).toBeUndefined(); // close at the activation
    expect(quietAt(check, series(606.98, 760.64, 650.89))).toBe(10019.99497029); // 9000.05034029 + 1.567 × 650.89 (1019.94463)
  });

  it("gives the equity the cycle reports, to the last digit, for any cash, quantity and close (up to 90 million USDT)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000_000 }),
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.integer({ min: 1, max: 799_999 }),
        (cashUnits, quantityUnits, closeCents) => {
          const cash = dec(cashUnits).div(100_000_000);
          const quantity = dec(quantityUnits).div(1000);
          const close = closeCents / 100;
          const quiet = quietCheck(
            position({ quantity, stopLoss: undefined, takeProfit1: undefined, takeProfit2: undefined }),
            cash,
          );
          const expected = Number(cash.plus(quantity.times(dec(close))).toFixed(8));
          expect(quietAt(quiet, series(close, close, close))).toBe(expected);
        },
      ),
      { seed: 28, numRuns: 500 },
    );
  });
});
