import { describe, expect, it } from "vitest";
import type { Candle } from "../../../shared/domain/market/candle.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { evaluateExits } from "../../../shared/domain/trading/exits.ts";
import type { MarketSteps } from "../../../shared/domain/trading/fills.ts";
import { position } from "../../helpers/trades.ts";

const H4 = 4 * 3_600_000;
const T = Date.UTC(2025, 0, 1);
const steps: MarketSteps = {
  baseAsset: "BNB",
  quoteAsset: "USDT",
  tickSize: dec("0.01"),
  stepSize: dec("0.001"),
  minQty: dec("0.001"),
  minNotional: dec("5"),
};
// Entry 100, stop 90, TP1 120, TP2 150; 2 BNB.
const open = position({
  quantity: dec("2"),
  entryPrice: dec("100"),
  stopLoss: dec("90"),
  takeProfit1: dec("120"),
  takeProfit2: dec("150"),
  entryTime: T,
  lastEvaluated: T,
});
const candle = (k: number, open: number, high: number, low: number, close: number): Candle => ({
  openTime: T + k * H4,
  open,
  high,
  low,
  close,
  volume: 1,
});
const fee = dec("0.001");
const summary = (r: ReturnType<typeof evaluateExits>) =>
  r.trades.map((t) => [t.reason, t.quantity.toString(), t.price.toString(), t.realizedPnl?.toString()]);

describe("evaluateExits", () => {
  it("sells everything at the stop when a candle's low reaches it", () => {
    const r = evaluateExits(open, [candle(1, 100, 105, 95, 99), candle(2, 98, 99, 89, 92)], steps, fee);
    // (90 − 100) × 2 − 0.18 fee
    expect(summary(r)).toEqual([["stop", "2", "90", "-20.18"]]);
    expect(r.position).toBeUndefined();
  });

  it("fills at the open when the candle opened below the stop", () => {
    const r = evaluateExits(open, [candle(1, 85, 88, 80, 86)], steps, fee);
    expect(summary(r)).toEqual([["stop", "2", "85", "-30.17"]]);
  });

  it("assumes the stop came first when one candle reaches both stop and target", () => {
    const r = evaluateExits(open, [candle(1, 100, 160, 89, 120)], steps, fee);
    expect(summary(r).map((t) => t[0])).toEqual(["stop"]);
  });

  it("sells half at TP1, moves the stop to the entry, then the rest at break-even", () => {
    const r = evaluateExits(open, [candle(1, 110, 121, 105, 118), candle(2, 115, 119, 99, 101)], steps, fee);
    // TP1: (120 − 100) × 1 − 0.12; then the stop at 100: (100 − 100) × 1 − 0.1
    expect(summary(r)).toEqual([
      ["tp1", "1", "120", "19.88"],
      ["stop", "1", "100", "-0.1"],
    ]);
    expect(r.position).toBeUndefined();
  });

  it("sells the rest at TP2 and keeps the mark of the last candle otherwise", () => {
    const held = evaluateExits(open, [candle(1, 101, 110, 95, 108)], steps, fee);
    expect(held.trades).toEqual([]);
    expect(held.position?.lastEvaluated).toBe(T + H4);
    expect(held.position?.markPrice.toString()).toBe("108");
    const r = evaluateExits(open, [candle(1, 110, 121, 105, 118), candle(2, 130, 151, 125, 140)], steps, fee);
    expect(summary(r).map((t) => t[0])).toEqual(["tp1", "tp2"]);
  });

  it("checks every candle since the last evaluated one, so a missed cycle never skips a stop", () => {
    const already = { ...open, lastEvaluated: T + H4 };
    const candles = [candle(1, 100, 101, 80, 95), candle(2, 95, 97, 91, 96), candle(3, 96, 97, 89, 90)];
    const r = evaluateExits(already, candles, steps, fee);
    expect(r.trades.map((t) => [t.reason, t.candleTime])).toEqual([["stop", T + 3 * H4]]);
  });

  it("rounds half a position down to the lot step", () => {
    const odd = { ...open, quantity: dec("0.005") };
    const r = evaluateExits(odd, [candle(1, 110, 121, 105, 118)], steps, fee);
    expect(r.trades[0]?.quantity.toString()).toBe("0.002");
    expect(r.position?.quantity.toString()).toBe("0.003");
  });
});
