import { describe, expect, it } from "vitest";
import { toCandleSeries } from "../../../../shared/domain/market/candle-series.ts";
import { evaluateWindow } from "../../../../shared/domain/strategies/fibonacci-golden-zone/evaluate.ts";
import type { Signal } from "../../../../shared/domain/strategies/signal.ts";
import { fixtureCandles, type ReferenceSignal, referenceSignals } from "../../../helpers/fixtures.ts";

function closeTo(actual: number | undefined, expected: number | undefined): boolean {
  if (actual === undefined || expected === undefined) return actual === expected;
  return Math.abs(actual - expected) <= 1e-9 * Math.abs(expected);
}

/** Differences between our signal and the reference's, as the fixtures' README defines a match. */
function differences(ours: Signal, ref: ReferenceSignal): string[] {
  const found: string[] = [];
  if (ours.action !== ref.action) found.push(`action ${ours.action} != ${ref.action}`);
  const trendOk = ref.trend === "UNKNOWN" ? ours.action === "HOLD" : ours.trend === ref.trend;
  if (!trendOk) found.push(`trend ${ours.trend} != ${ref.trend}`);
  if (ours.price !== ref.price) found.push(`price ${ours.price} != ${ref.price}`);
  if ((ours.levels === undefined) !== (ref.levels === undefined)) found.push("levels presence");
  if (ours.levels && ref.levels) {
    const mine: Record<string, number> = {
      high: ours.levels.high,
      low: ours.levels.low,
      ...ours.levels.ratios,
    };
    for (const [key, value] of Object.entries(ref.levels)) {
      if (!closeTo(mine[key], value)) found.push(`level ${key} ${mine[key]} != ${value}`);
    }
    if (Object.keys(mine).length !== Object.keys(ref.levels).length) found.push("level keys");
  }
  const sorted = (names: readonly string[] | undefined) => (names ? [...names].sort().join(",") : undefined);
  if (sorted(ours.confirmations) !== sorted(ref.confirmations)) {
    found.push(`confirmations ${sorted(ours.confirmations)} != ${sorted(ref.confirmations)}`);
  }
  const plan = ours.plan;
  const pairs: [number | undefined, number | undefined, string][] = [
    [plan?.entry, ref.entry, "entry"],
    [plan?.stopLoss, ref.stop_loss, "stop_loss"],
    [plan?.takeProfit1, ref.take_profit_1, "take_profit_1"],
    [plan?.takeProfit2, ref.take_profit_2, "take_profit_2"],
  ];
  for (const [a, b, name] of pairs) if (!closeTo(a, b)) found.push(`${name} ${a} != ${b}`);
  return found;
}

describe.each(["BNBUSDT-1d", "BNBUSDT-4h"] as const)("the strategy on %s", (name) => {
  it("reproduces the reference signal of every 300-candle window", () => {
    // Prepare
    const series = toCandleSeries(fixtureCandles(name));
    const reference = referenceSignals(name);

    // Act
    const mismatches: string[] = [];
    reference.forEach((ref, k) => {
      const last = 299 + k;
      const t = `${new Date(series.openTime[last] as number).toISOString().slice(0, 19)}Z`;
      if (t !== ref.t) mismatches.push(`window ${k}: ends at ${t}, reference at ${ref.t}`);
      const diff = differences(evaluateWindow(series, last, 300), ref);
      if (diff.length > 0) mismatches.push(`${ref.t}: ${diff.join("; ")}`);
    });

    // Assess
    expect(reference.length).toBe(series.length - 299);
    expect(mismatches).toEqual([]);
  });
});

describe("the reference's counts", () => {
  it.each([
    ["BNBUSDT-1d", { HOLD: 445, BUY: 1 }],
    ["BNBUSDT-4h", { HOLD: 1605, BUY: 1, SELL: 1 }],
  ] as const)("%s gives the documented number of each action", (name, counts) => {
    const series = toCandleSeries(fixtureCandles(name));
    const tally: Record<string, number> = {};
    for (let last = 299; last < series.length; last++) {
      const { action } = evaluateWindow(series, last, 300);
      tally[action] = (tally[action] ?? 0) + 1;
    }
    expect(tally).toEqual(counts);
  });
});
