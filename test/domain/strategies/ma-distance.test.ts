import { describe, expect, it } from "vitest";
import { toCandleSeries } from "../../../shared/domain/market/candle-series.ts";
import { strategyNamed } from "../../../shared/domain/strategies/registry.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";

const candles = fixtureCandles("BNBUSDT-4h");
const series = toCandleSeries(candles);
/** Hourly candles with these closes and nothing else moving. */
const flat = (closes: number[]) =>
  toCandleSeries(
    closes.map((close, i) => ({
      openTime: i * 3_600_000,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
    })),
  );

/** The rule of docs/ma-distance.md, written plainly: a re-scan of the period for every window. */
function byTheRule(last: number, period: number, buy: number, sell: number) {
  let sum = 0;
  for (let i = last - period + 1; i <= last; i++) sum += candles[i]?.close ?? Number.NaN;
  const sma = sum / period;
  const distance = (((candles[last]?.close ?? 0) - sma) / sma) * 100;
  return distance <= buy ? "BUY" : distance >= sell ? "SELL" : "HOLD";
}

describe("ma-distance", () => {
  it.each([
    [20, -2.4, 2.0],
    [100, -3.2, 10.3],
    [50, -3.5, 3.7],
  ])(
    "says what the rule says on every window of the 4h fixture (period %i, %f / %f)",
    (period, buy, sell) => {
      const strategy = strategyNamed("ma-distance", {
        maPeriod: period,
        buyThreshold: buy,
        sellThreshold: sell,
      });
      const differ: number[] = [];
      const actions = new Set<string>();
      for (let last = 299; last < series.length; last++) {
        const signal = strategy.evaluate(series, last, 300);
        actions.add(signal.action);
        if (signal.action !== byTheRule(last, period, buy, sell)) differ.push(last);
      }
      expect(differ).toEqual([]);
      expect([...actions].sort()).toEqual(["BUY", "HOLD", "SELL"]);
    },
  );

  it("buys at or below the threshold (inclusive), with the reference's reason, and no exits unless asked", () => {
    // Four closes of 100 and one of 97.5: the SMA is 99.5 and the distance exactly -2.0100…%.
    const window = flat([100, 100, 100, 100, 97.5]);
    const signal = strategyNamed("ma-distance", { maPeriod: 5, buyThreshold: -2 }).evaluate(window, 4, 5);
    expect(signal.action).toBe("BUY");
    expect(signal.reason).toBe("Price -2.0% below MA5 (threshold: -2.0%)");
    expect(signal.plan).toMatchObject({ entry: 97.5, stopLoss: undefined, targets: [] });
    const stopped = strategyNamed("ma-distance", { maPeriod: 5, buyThreshold: -2, stopLossPct: 5 }).evaluate(
      window,
      4,
      5,
    );
    expect(stopped.plan?.stopLoss).toBeCloseTo(92.625, 9);
    const exact = flat([100, 100, 100, 100, 102.5]);
    // SMA 100.5, distance +1.99…%: below a sell threshold of 2 → HOLD; at 1.99 → SELL.
    expect(strategyNamed("ma-distance", { maPeriod: 5 }).evaluate(exact, 4, 5).action).toBe("HOLD");
    expect(
      strategyNamed("ma-distance", { maPeriod: 5, sellThreshold: 1.99 }).evaluate(exact, 4, 5).action,
    ).toBe("SELL");
  });

  it("needs maPeriod candles", () => {
    expect(strategyNamed("ma-distance", { maPeriod: 200 }).minimumCandles).toBe(200);
    expect(() => strategyNamed("ma-distance", { maPeriod: 50 }).evaluate(series, 30, 31)).toThrowError(
      "shorter than the 50 the SMA needs",
    );
  });
});
