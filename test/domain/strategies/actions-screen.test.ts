import { describe, expect, it } from "vitest";
import { parseAxis, samples } from "../../../shared/application/optimize/search-space.ts";
import { toCandleSeries } from "../../../shared/domain/market/candle-series.ts";
import { configureStrategy } from "../../../shared/domain/strategies/configure.ts";
import { STRATEGIES } from "../../../shared/domain/strategies/registry.ts";
import { ACTION_CODES } from "../../../shared/domain/strategies/strategy.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";

describe("a strategy's action screen (the optimizer's shortcut)", () => {
  const screened = STRATEGIES.filter((s) => s.actions);

  it("exists for ma-distance", () => {
    expect(screened.map((s) => s.name)).toEqual(["ma-distance"]);
  });

  it.each(screened.map((s) => s.name))(
    "%s: equals evaluate's action at every candle of both fixtures, for 200 random settings",
    (name) => {
      const spec = STRATEGIES.find((s) => s.name === name) as (typeof STRATEGIES)[number];
      const axes = Object.fromEntries(
        ["maPeriod=2..300", "buyThreshold=-10..0", "sellThreshold=0..10"].map((t) => parseAxis(spec, t)),
      );
      let compared = 0;
      for (const fixture of ["BNBUSDT-4h", "BNBUSDT-1d"] as const) {
        const series = toCandleSeries(fixtureCandles(fixture));
        for (const setting of [{}, ...samples(spec, axes, 100, 5)]) {
          const strategy = configureStrategy(spec, setting);
          const from = Math.max(strategy.minimumCandles - 1, 1);
          const actions = strategy.actions?.(series, from, series.length, 300) as Int8Array;
          for (let last = from; last < series.length; last++) {
            const action = strategy.evaluate(series, last, Math.min(300, last + 1)).action;
            if (actions[last - from] !== ACTION_CODES[action])
              expect([setting, last, actions[last - from]]).toEqual([setting, last, ACTION_CODES[action]]);
            compared++;
          }
        }
      }
      expect(compared).toBeGreaterThan(100_000);
    },
  );
});
