import { describe, expect, it } from "vitest";
import type { Candle } from "../../../shared/domain/market/candle.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { decideEntry, type EntryInput } from "../../../shared/domain/trading/entry.ts";
import { evaluateExits } from "../../../shared/domain/trading/exits.ts";
import type { MarketSteps } from "../../../shared/domain/trading/fills.ts";
import { NO_RISK_CONTROLS } from "../../../shared/domain/trading/risk-settings.ts";
import { slipped } from "../../../shared/domain/trading/slippage.ts";
import { DEFAULT_TRADING_RULES, type TradingRules } from "../../../shared/domain/trading/trading-rules.ts";
import { position } from "../../helpers/trades.ts";

const H1 = 3_600_000;
const T = Date.UTC(2025, 0, 1);
const steps: MarketSteps = {
  baseAsset: "BNB",
  quoteAsset: "USDT",
  tickSize: dec("0.01"),
  stepSize: dec("0.001"),
  minQty: dec("0.001"),
  minNotional: dec("5"),
};
const fee = dec("0.001");
const candle = (k: number, open: number, high: number, low: number, close: number): Candle => ({
  openTime: T + k * H1,
  open,
  high,
  low,
  close,
  volume: 1,
});
// Entry 100, stop 90, no targets; a trailing stop from a close of 102 (+2 %), 1 % below the highest close.
const trailed = position({
  quantity: dec("1"),
  entryPrice: dec("100"),
  stopLoss: dec("90"),
  takeProfit1: undefined,
  takeProfit2: undefined,
  entryTime: T,
  lastEvaluated: T,
  trailing: { activation: dec("102"), distance: dec("0.01"), raised: false },
});
const fills = (r: ReturnType<typeof evaluateExits>) =>
  r.trades.map((t) => [t.reason, t.price.toString(), t.candleTime === T + 0 ? 0 : (t.candleTime - T) / H1]);

describe("the trailing stop", () => {
  it("waits for a close at the activation, then follows the highest close by the distance, rounded down to the tick", () => {
    // Close 101.9: below 102, nothing moves. Close 103: the stop goes to 101.97 (103 × 0.99). Close 105.55: 104.49 (104.4945 down).
    const r = evaluateExits(
      trailed,
      [candle(1, 100, 102.5, 99, 101.9), candle(2, 102, 103.5, 101, 103), candle(3, 103, 106, 102.5, 105.55)],
      steps,
      fee,
    );
    expect(r.trades).toEqual([]);
    expect(r.position?.stopLoss?.toString()).toBe("104.49");
    expect(r.position?.trailing?.highestClose?.toString()).toBe("105.55");
  });

  it("never lowers the stop: a lower close leaves it where the highest close put it", () => {
    const r = evaluateExits(
      trailed,
      [candle(1, 100, 110, 99, 110), candle(2, 110, 110, 109, 109.5)],
      steps,
      fee,
    );
    expect(r.position?.stopLoss?.toString()).toBe("108.9");
  });

  it("sells as a trailing stop on the first later candle whose low reaches it, across a missed cycle", () => {
    // Two candles the runner never ran for (1 and 2) are checked in order: 2's close raised the stop to 108.9, 3 hits it.
    const r = evaluateExits(
      trailed,
      [candle(1, 100, 105, 99, 104), candle(2, 104, 111, 103, 110), candle(3, 110, 110, 100, 101)],
      steps,
      fee,
    );
    expect(fills(r)).toEqual([["trailing-stop", "108.9", 3]]);
    expect(r.trades[0]?.realizedPnl?.toString()).toBe("8.7911"); // 8.9 − fee 0.1089 rounded up
  });

  it("is a plain stop while the strategy's stop is higher than the trail", () => {
    const tight = {
      ...trailed,
      stopLoss: dec("99"),
      trailing: { activation: dec("102"), distance: dec("0.05"), raised: false },
    };
    // Close 103 puts the trail at 97.85, below the strategy's 99: the stop stays 99, and its exit is a plain stop.
    const r = evaluateExits(
      tight,
      [candle(1, 100, 104, 99.5, 103), candle(2, 102, 102.5, 98, 98.5)],
      steps,
      fee,
    );
    expect(fills(r)).toEqual([["stop", "99", 2]]);
  });

  it("keeps a trailing stop above the entry when take-profit 1 would move the stop to the entry", () => {
    const both = {
      ...trailed,
      quantity: dec("2"),
      takeProfit1: dec("112"),
      tp1Fraction: dec("0.5"),
      stopToEntryAfterTp1: true,
    };
    const r = evaluateExits(
      both,
      [candle(1, 100, 110, 99, 110), candle(2, 110, 113, 109.5, 111)],
      steps,
      fee,
    );
    expect(fills(r)).toEqual([["tp1", "112", 2]]);
    // The trail (from 111: 109.89) is above the entry (100): it stays the stop.
    expect(r.position?.stopLoss?.toString()).toBe("109.89");
  });
});

describe("slippage", () => {
  it("moves a buy up and a sell down by the basis points, on the tick, and leaves a price alone at 0", () => {
    expect(slipped(dec("638.13"), "BUY", dec("5"), dec("0.01")).toString()).toBe("638.45"); // 638.449065 up
    expect(slipped(dec("638.13"), "SELL", dec("5"), dec("0.01")).toString()).toBe("637.81"); // 637.810935 down
    expect(slipped(dec("638.135"), "BUY", dec("0"), dec("0.01")).toString()).toBe("638.135");
  });

  it("fills a stop below its level and a take-profit exactly at its target", () => {
    const withTarget = { ...trailed, trailing: undefined, takeProfit2: dec("120") };
    const stop = evaluateExits(withTarget, [candle(1, 100, 101, 89, 95)], steps, fee, 0, dec("10"));
    expect(fills(stop)).toEqual([["stop", "89.91", 1]]); // 90 − 0.1 %
    const target = evaluateExits(withTarget, [candle(1, 100, 121, 99, 118)], steps, fee, 0, dec("10"));
    expect(fills(target)).toEqual([["tp2", "120", 1]]);
  });
});

describe("risk-based sizing", () => {
  const rules = (risk: Partial<TradingRules["risk"]>): TradingRules => ({
    ...DEFAULT_TRADING_RULES,
    risk: { ...NO_RISK_CONTROLS, ...risk },
  });
  const entry: EntryInput = {
    symbol: "BNBUSDT",
    timeframe: "4h",
    candle: { openTime: T, open: 100, high: 101, low: 99, close: 100, volume: 1 },
    plan: { entry: 100, stopLoss: 95, targets: [], stopToEntryAfterFirstTarget: false },
    freeQuote: dec("10000"),
    positions: [],
    steps,
    rules: rules({ riskPerTradePct: dec("0.5") }),
    sequence: 0,
  };
  const quantity = (input: EntryInput) => {
    const d = decideEntry(input);
    return d.kind === "open" ? d.trade.quantity.toString() : d.reason;
  };

  it("buys what loses the risk at the stop: 0.5 % of 10,000 over a 5 USDT fall is 10 BNB", () => {
    expect(quantity(entry)).toBe("10");
  });

  it("is capped by the stake fraction (10 % of equity on 4h: 10 BNB at 100) when the stop is close", () => {
    expect(quantity({ ...entry, plan: { ...entry.plan, stopLoss: 99.5 } })).toBe("10"); // risk would buy 100 BNB
    expect(quantity({ ...entry, rules: rules({ riskPerTradePct: dec("0.25") }) })).toBe("5");
  });

  it("keeps the stake fraction for a strategy without a stop", () => {
    expect(
      quantity({
        ...entry,
        plan: { ...entry.plan, stopLoss: undefined },
        rules: rules({ riskPerTradePct: dec("0.1") }),
      }),
    ).toBe("10");
  });

  it("pays the slipped price on entry, and starts the trailing stop from it", () => {
    const d = decideEntry({
      ...entry,
      rules: rules({
        slippageBps: dec("5"),
        trailingStop: { activationPct: dec("2"), distancePct: dec("1") },
      }),
    });
    expect(d.kind).toBe("open");
    if (d.kind !== "open") return;
    expect(d.trade.price.toString()).toBe("100.05");
    expect(d.position.trailing?.activation.toString()).toBe("102.051");
    expect(d.position.trailing?.distance.toString()).toBe("0.01");
  });
});
