import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_CYCLE_CONFIG } from "../../../shared/adapters/config/default-cycle-config.ts";
import {
  cycleConfigOf,
  DEFAULT_STACK_NAME,
  parseSettings,
} from "../../../shared/adapters/config/settings.ts";
import type { CycleConfig } from "../../../shared/application/cycle/index.ts";

/** A configuration as plain data: decimals as their text, the strategy by name and parameters. */
const plain = (config: CycleConfig) =>
  JSON.parse(
    JSON.stringify({ ...config, strategy: { name: config.strategy.name, params: config.strategy.params } }),
  );

describe("defaults are defined once (issue 36)", () => {
  it("empty settings give exactly the default cycle configuration (but the watchlist they schedule)", () => {
    const { watchlist, resolveStrategy, ...fromSettings } = cycleConfigOf(parseSettings({}));
    const { watchlist: none, resolveStrategy: noRegistry, ...defaults } = DEFAULT_CYCLE_CONFIG;
    expect(none).toBeUndefined();
    expect(watchlist?.map((e) => `${e.accountId} ${e.symbol} ${e.timeframe}`)).toEqual([
      "paper BNBUSDT 1h",
      "paper BNBUSDT 4h",
      "paper BNBUSDT 1d",
    ]);
    expect(resolveStrategy).toBeTypeOf("function");
    expect(noRegistry).toBeUndefined();
    expect(plain(fromSettings as CycleConfig)).toEqual(plain(defaults as CycleConfig));
    // The comparison sees every default: a changed one on either side would differ.
    expect(plain(defaults as CycleConfig)).toMatchObject({
      defaultAccountId: "paper",
      initialBalance: "10000",
      quoteAsset: "USDT",
      window: 300,
      rules: {
        feeRate: "0.001",
        maxOpenPositions: 3,
        stakeFractions: { "1h": "0.05", "4h": "0.1", "1d": "0.15" },
      },
    });
  });

  it("a setting given differs from the default in that setting only", () => {
    const changed = cycleConfigOf(parseSettings({ feeRate: "0.002", accountId: "other" }));
    const base = cycleConfigOf(parseSettings({}));
    expect(changed.rules.feeRate.toFixed()).toBe("0.002");
    expect(changed.defaultAccountId).toBe("other");
    expect(
      plain({ ...changed, rules: base.rules, defaultAccountId: base.defaultAccountId, watchlist: undefined }),
    ).toEqual(plain({ ...base, watchlist: undefined }));
  });

  it("the shipped names are written once: the stack's name and the metrics' namespace default", () => {
    const settings = parseSettings({});
    expect(settings.metricsNamespace).toBe(DEFAULT_STACK_NAME);
    for (const file of [
      "infra/app.ts",
      "cli/invoke.ts",
      "cli/telegram.ts",
      "functions/trading-cycle/dependencies.ts",
    ]) {
      const text = readFileSync(new URL(`../../../${file}`, import.meta.url), "utf8");
      expect(text, file).not.toContain(`"${DEFAULT_STACK_NAME}"`);
    }
  });
});
