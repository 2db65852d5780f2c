import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { marketSteps } from "../../../shared/application/cycle/index.ts";
import { weightPercent } from "../../../shared/application/format.ts";
import { sumMovements } from "../../../shared/domain/account/ledger.ts";
import { dec, ZERO } from "../../../shared/domain/money/decimal.ts";
import { closingHours, isRebalanceClose, scheduleText } from "../../../shared/domain/rebalance/basket.ts";
import { planRebalance } from "../../../shared/domain/rebalance/orders.ts";
import { targetWeights } from "../../../shared/domain/rebalance/weights.ts";
import { BNB, basket, ETH } from "../../helpers/rebalance-basket.ts";

const legs = (bnb: string, eth: string) => [
  { symbol: "BNBUSDT", price: dec(bnb), steps: marketSteps(BNB) },
  { symbol: "ETHUSDT", price: dec(eth), steps: marketSteps(ETH) },
];
const fixed = basket();
const targets = targetWeights(fixed, new Map());
/** 1,000 USDT, 10 BNB at 600 and 1 ETH at 2,000 against 40/30/30: docs/rebalancing.md's example. */
const drifted = () =>
  planRebalance({
    basket: fixed,
    balances: { USDT: dec(1_000), BNB: dec(10), ETH: dec(1) },
    quoteAsset: "USDT",
    legs: legs("600", "2000"),
    targets,
    candleTime: 0,
  });

describe("a rebalance's legs", () => {
  it("from cash: buys each leg to its weight, rounded down to the lot, the cash and fees covered", () => {
    const plan = planRebalance({
      basket: fixed,
      balances: { USDT: dec(10_000) },
      quoteAsset: "USDT",
      legs: legs("600", "2000"),
      targets,
      candleTime: 0,
    });
    expect(
      plan.trades.map((t) => `${t.side} ${t.symbol} ${t.quantity.toFixed()} fee ${t.fee.toFixed()}`),
    ).toEqual(["BUY BNBUSDT 6.666 fee 3.9996", "BUY ETHUSDT 1.5 fee 3"]);
    expect(plan.driftPct.toFixed()).toBe("40");
    const cash = dec(10_000).plus(sumMovements(plan.trades).USDT ?? ZERO);
    expect(cash.toFixed()).toBe("2993.4004"); // 10,000 − 3,999.6 − 3.9996 − 3,000 − 3
  });

  it("sells what is over its target first, then buys with the cash it freed", () => {
    const plan = drifted();
    // Equity 1,000 + 6,000 + 2,000 = 9,000: BNB 66.7 % → 40 %, ETH 22.2 % → 30 %.
    expect(plan.trades.map((t) => `${t.side} ${t.symbol} ${t.quantity.toFixed()}`)).toEqual([
      "SELL BNBUSDT 4",
      "BUY ETHUSDT 0.35",
    ]);
    expect(plan.trades.map((t) => t.sequence)).toEqual([0, 1]);
  });

  it("with slippage, sells fill below the close and buys above it, on the tick; weights are read at the close", () => {
    const plan = planRebalance({
      basket: basket({ slippageBps: dec(10) }),
      balances: { USDT: dec(1_000), BNB: dec(10), ETH: dec(1) },
      quoteAsset: "USDT",
      legs: legs("600", "2000"),
      targets,
      candleTime: 0,
    });
    expect(plan.equity.toFixed()).toBe("9000");
    // 600 × (1 − 0.001) = 599.4; 2,000 × 1.001 = 2,002; ETH's 700 USDT gap at 2,002: 0.3496 (lot 0.0001).
    expect(
      plan.trades.map((t) => `${t.side} ${t.symbol} ${t.quantity.toFixed()} @ ${t.price.toFixed()}`),
    ).toEqual(["SELL BNBUSDT 4 @ 599.4", "BUY ETHUSDT 0.3496 @ 2002"]);
    expect(plan.trades.map((t) => t.quoteAmount.toFixed())).toEqual(["2397.6", "699.8992"]);
  });

  it("within the band, nothing trades; past it, every leg does", () => {
    const held = { USDT: dec(3_000), BNB: dec("6.9"), ETH: dec("1.5") };
    const at = (band: number) =>
      planRebalance({
        basket: basket({ bandPct: dec(band) }),
        balances: held,
        quoteAsset: "USDT",
        legs: legs("600", "2000"),
        targets,
        candleTime: 0,
      });
    // BNB 4,140 of 10,140 = 40.83 %: 0.83 points off.
    expect(at(1).trades).toEqual([]);
    expect(at(1).due).toBe(false);
    expect(at(0.5).trades.map((t) => t.side)).toEqual(["SELL", "BUY"]);
  });

  it("names a leg below the exchange's minimum and does not trade it", () => {
    const plan = planRebalance({
      basket: fixed,
      // Equity 10,002: BNB 4,002 is 1.2 USDT over its 40 %, ETH 3,000 is 0.6 under its 30 %.
      balances: { USDT: dec(3_000), BNB: dec("6.67"), ETH: dec("1.5") },
      quoteAsset: "USDT",
      legs: legs("600", "2000"),
      targets,
      candleTime: 0,
    });
    expect(plan.due).toBe(true);
    expect(plan.skipped.map((s) => `${s.side} ${s.symbol}: ${s.why}`)).toEqual([
      "SELL BNBUSDT: 1.2 USDT is below the minimum (5 USDT, 0.001 BNB)",
      "BUY ETHUSDT: 0.6 USDT is below the minimum (5 USDT, 0.0001 ETH)",
    ]);
    expect(plan.trades).toEqual([]);
  });
});

describe("the weights and the schedule", () => {
  it("equal splits what is invested; inverse-volatility gives the calmer leg more", () => {
    expect(
      [...targetWeights(basket({ weighting: "equal", cashPct: dec(10) }), new Map()).values()].map(String),
    ).toEqual(["0.45", "0.45"]);
    const calm = [100, 101, 100, 101, 100, 101, 100];
    const wild = [100, 110, 100, 110, 100, 110, 100];
    const w = targetWeights(
      basket({ weighting: "inverse-volatility", cashPct: ZERO, lookbackDays: 6 }),
      new Map([
        ["BNBUSDT", calm],
        ["ETHUSDT", wild],
      ]),
    );
    expect(Number(w.get("BNBUSDT"))).toBeGreaterThan(0.9);
    expect(Number(w.get("BNBUSDT")) + Number(w.get("ETHUSDT"))).toBeLessThanOrEqual(1);
    expect(Number(w.get("BNBUSDT")) + Number(w.get("ETHUSDT"))).toBeGreaterThan(0.99999);
  });

  it("every 7th daily close, counted from 1970-01-01; weeks on Mondays", () => {
    const day = 86_400_000;
    const seven = basket({ every: 7 });
    expect(isRebalanceClose(seven, 7 * day)).toBe(true);
    expect(isRebalanceClose(seven, 8 * day)).toBe(false);
    expect(isRebalanceClose(seven, 14 * day)).toBe(true);
    // hourUtc: counted from that hour; a close off the timeframe's grid is never one.
    const noon = basket({ timeframe: "1h", every: 24, hourUtc: 12 });
    expect(isRebalanceClose(noon, Date.UTC(2026, 0, 5, 12))).toBe(true);
    expect(isRebalanceClose(noon, Date.UTC(2026, 0, 5, 0))).toBe(false);
    expect(isRebalanceClose(noon, Date.UTC(2026, 0, 5, 13))).toBe(false);
    expect(isRebalanceClose(noon, Date.UTC(2026, 0, 5, 12, 30))).toBe(false);
    expect(isRebalanceClose(basket({ timeframe: "4h", every: 6, hourUtc: 8 }), Date.UTC(2026, 0, 6, 8))).toBe(
      true,
    );
    // docs/rebalancing.md: every 168 on 1h candles is weekly, on 1970-01-01's weekday, a Thursday.
    const weekly = basket({ timeframe: "1h", every: 168, hourUtc: 12 });
    expect(isRebalanceClose(weekly, Date.UTC(2026, 0, 8, 12))).toBe(true); // a Thursday
    expect(isRebalanceClose(weekly, Date.UTC(2026, 0, 5, 12))).toBe(false); // a Monday
    expect(closingHours("4h")).toEqual([0, 4, 8, 12, 16, 20]);
    expect([closingHours("1d"), closingHours("1w"), closingHours("1h").length]).toEqual([[0], [0], 24]);
    expect(scheduleText(noon)).toBe("every 24th 1h close, counted from 12:00 UTC");
    expect(scheduleText(seven)).toBe("every 7th 1d close");
    for (const [every, text] of [
      [2, "2nd"],
      [3, "3rd"],
      [11, "11th"],
      [12, "12th"],
      [13, "13th"],
      [21, "21st"],
      [22, "22nd"],
      [101, "101st"],
      [111, "111th"],
    ] as const)
      expect(scheduleText({ ...seven, every })).toBe(`every ${text} 1d close`);
    // 1970-01-05 was a Monday: weekly closes from there.
    expect(isRebalanceClose(basket({ timeframe: "1w", every: 2 }), Date.UTC(2026, 0, 5))).toBe(
      ((Date.UTC(2026, 0, 5) - 4 * day) / (7 * day)) % 2 === 0,
    );
  });
});

describe("docs/rebalancing.md's worked example", () => {
  it("is what the code does", () => {
    const plan = drifted();
    const doc = readFileSync(new URL("../../../docs/rebalancing.md", import.meta.url), "utf8").replace(
      /\s+/g,
      " ",
    );
    const [sell, buy] = plan.trades;
    const cash = dec(1_000).plus(sumMovements(plan.trades).USDT ?? ZERO);
    const after = plan.equity.minus(plan.trades.reduce((f, t) => f.plus(t.fee), ZERO));
    expect(doc).toContain(`**${Number(plan.equity).toLocaleString("en")} USDT**`);
    expect(doc).toContain(`the drift is ${plan.driftPct.round(2, "halfUp").toFixed(2)} points`);
    expect(doc).toContain(
      `**SELL ${sell?.quantity.toFixed()} BNB** at 600 = 2,400 USDT, fee ${sell?.fee.toFixed()}`,
    );
    expect(doc).toContain(
      `**BUY ${buy?.quantity.toFixed()} ETH** at 2,000 = 700 USDT, fee ${buy?.fee.toFixed()}`,
    );
    expect(doc).toContain(`**${Number(cash).toLocaleString("en")} USDT**`);
    const w = (base: string, price: number) =>
      weightPercent((base === "BNB" ? dec(6) : dec("1.35")).times(price).div(after));
    expect(doc).toContain(
      `the weights are now ${w("BNB", 600)} %, ${w("ETH", 2000)} % and ${weightPercent(cash.div(after))} % cash of ${Number(after).toLocaleString("en")} USDT`,
    );
  });
});
