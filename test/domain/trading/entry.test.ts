import { describe, expect, it } from "vitest";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { decideEntry, type EntryInput } from "../../../shared/domain/trading/entry.ts";
import { DEFAULT_TRADING_RULES } from "../../../shared/domain/trading/trading-rules.ts";
import { position } from "../../helpers/trades.ts";

const base: EntryInput = {
  symbol: "BNBUSDT",
  timeframe: "4h",
  candle: { openTime: Date.UTC(2025, 4, 18, 16), open: 630, high: 640, low: 625, close: 638.13, volume: 1 },
  plan: {
    entry: 638.13,
    stopLoss: 606.9722999999999,
    targets: [
      { price: 760.6401000000001, fraction: 0.5 },
      { price: 870.0901000000001, fraction: 1 },
    ],
    stopToEntryAfterFirstTarget: true,
  },
  freeQuote: dec("10000"),
  positions: [],
  steps: {
    baseAsset: "BNB",
    quoteAsset: "USDT",
    tickSize: dec("0.01"),
    stepSize: dec("0.001"),
    minQty: dec("0.001"),
    minNotional: dec("5"),
  },
  rules: DEFAULT_TRADING_RULES,
  sequence: 0,
};

describe("decideEntry", () => {
  it("stakes 10 % of equity on 4h, rounded down to the lot step, fee 0.1 % rounded up to 8 places", () => {
    const d = decideEntry(base);
    expect(d.kind).toBe("open");
    if (d.kind !== "open") return;
    // 1000 / 638.13 = 1.5670...; 1.567 × 638.13 = 999.94971
    expect(d.trade.quantity.toString()).toBe("1.567");
    expect(d.trade.quoteAmount.toString()).toBe("999.94971");
    expect(d.trade.fee.toString()).toBe("0.99994971");
    expect([d.position.stopLoss, d.position.takeProfit1, d.position.takeProfit2].map(String)).toEqual([
      "606.97",
      "760.65",
      "870.1",
    ]);
  });

  it("uses the stake of the timeframe: 5 % on 1h, 15 % on 1d, 10 % elsewhere", () => {
    const qty = (timeframe: EntryInput["timeframe"]) => {
      const d = decideEntry({ ...base, timeframe });
      return d.kind === "open" ? d.trade.quantity.toString() : d.reason;
    };
    expect([qty("1h"), qty("1d"), qty("15m")]).toEqual(["0.783", "2.35", "1.567"]);
  });

  it("counts other positions at their mark in the equity, and caps the stake by the free USDT", () => {
    const other = position({
      symbol: "ETHUSDT",
      baseAsset: "ETH",
      quantity: dec("2"),
      markPrice: dec("2500"),
    });
    const d = decideEntry({ ...base, freeQuote: dec("500"), positions: [other] });
    // equity 500 + 5000 = 5500 → stake 550, but only 500 / 1.001 is free
    expect(d.kind === "open" && d.trade.quantity.toString()).toBe("0.782");
    expect(d.kind === "open" && d.trade.quoteAmount.plus(d.trade.fee).lte(500)).toBe(true);
  });

  it("skips, with the reason, below the minimum notional and at the maximum of open positions", () => {
    expect(decideEntry({ ...base, freeQuote: dec("50") })).toEqual({
      kind: "skip",
      reason: "the stake of 4.46 USDT is below the minimum notional of 10 USDT",
    });
    // The stake (10 % of 5,003 equity) would do, but the other position holds the cash: not enough cash.
    const held = position({
      symbol: "ETHUSDT",
      baseAsset: "ETH",
      quantity: dec("2"),
      markPrice: dec("2500"),
    });
    expect(decideEntry({ ...base, freeQuote: dec("3"), positions: [held] })).toEqual({
      kind: "skip",
      reason: "not enough cash: 3.00 USDT free buys 2.55 USDT, below the minimum notional of 10 USDT",
    });
    const three = ["A", "B", "C"].map((s) =>
      position({ symbol: `${s}USDT`, baseAsset: s, quantity: dec("0.1"), markPrice: dec("1") }),
    );
    expect(decideEntry({ ...base, positions: three })).toEqual({
      kind: "skip",
      reason: "the account holds its maximum of 3 open positions",
    });
    expect(decideEntry({ ...base, positions: [position()] })).toEqual({
      kind: "skip",
      reason: "a BNBUSDT 4h position is open already",
    });
  });
});
