import { describe, expect, it } from "vitest";
import { cycleConfigOf, parseSettings, SETTINGS } from "../../../shared/adapters/config/settings.ts";
import { DEFAULT_TRADING_RULES, stakeFraction } from "../../../shared/domain/trading/trading-rules.ts";

describe("stakeFractions: one default, as documented", () => {
  it("a timeframe the configured map leaves out stakes the default fraction, not the default map's", () => {
    const rules = cycleConfigOf(parseSettings({ stakeFractions: { "4h": "0.2" } })).rules;
    expect(stakeFraction(rules, "4h").toFixed()).toBe("0.2");
    expect(stakeFraction(rules, "1h").toFixed()).toBe(DEFAULT_TRADING_RULES.defaultStakeFraction.toFixed());
    expect(stakeFraction(rules, "1h").toFixed()).toBe("0.1");
  });

  it("without a map, the schema's default map; the schema's doc names the same fallback the code uses", () => {
    const rules = cycleConfigOf(parseSettings({})).rules;
    expect(
      Object.fromEntries(Object.entries(rules.stakeFractions).map(([k, v]) => [k, v?.toFixed()])),
    ).toEqual(SETTINGS.stakeFractions.default);
    expect(SETTINGS.stakeFractions.doc).toContain(
      `(others ${DEFAULT_TRADING_RULES.defaultStakeFraction.toFixed()})`,
    );
  });
});
