import { describe, expect, it } from "vitest";
import { cycleConfigOf, parseSettings } from "../../../shared/adapters/config/settings.ts";
import { rulesFor } from "../../../shared/application/cycle/index.ts";
import { ConfigurationError } from "../../../shared/domain/errors.ts";
import { parseRiskSettings, riskSettingsJson } from "../../../shared/domain/trading/risk-config.ts";

const JARVIS = {
  slippageBps: 5,
  trailingStop: { activationPct: 2, distancePct: 1 },
  riskPerTradePct: 1,
  protections: {
    cooldownCandles: 2,
    stopLossGuard: { stops: 3, lookbackCandles: 24, pauseCandles: 12 },
    maxDrawdown: { pct: 10, lookbackCandles: 48, pauseCandles: 24 },
    dailyLossPct: 3,
  },
};
const refusal = (given: Record<string, unknown>) => {
  try {
    parseSettings(given);
    return "accepted";
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
};

describe("tradingBot.risk", () => {
  it("is off unless asked: no protection, no trailing stop, no risk sizing, no slippage", () => {
    const { risk } = cycleConfigOf(parseSettings({})).rules;
    expect(riskSettingsJson(risk)).toBeUndefined();
    expect(risk.slippageBps.toFixed()).toBe("0");
  });

  it("reads every control, and writes them back as recorded (only what is on, in one order)", () => {
    const { risk } = cycleConfigOf(parseSettings({ risk: JARVIS })).rules;
    expect(risk.protections.stopLossGuard?.scope).toBe("pair");
    expect(JSON.parse(riskSettingsJson(risk) ?? "{}")).toEqual({
      ...JARVIS,
      protections: {
        ...JARVIS.protections,
        stopLossGuard: { ...JARVIS.protections.stopLossGuard, scope: "pair" },
      },
    });
    // What a record holds reads back to the same settings (the report replays them).
    expect(riskSettingsJson(parseRiskSettings(riskSettingsJson(risk), "a record"))).toBe(
      riskSettingsJson(risk),
    );
  });

  it.each([
    [
      { risk: { slipage: 5 } },
      "tradingBot.risk: unknown key(s) slipage; known: slippageBps, trailingStop, riskPerTradePct, protections",
    ],
    [
      { risk: { slippageBps: -1 } },
      "tradingBot.risk.slippageBps must be a number of basis points from 0 to 1000, got -1",
    ],
    [
      { risk: { trailingStop: { activationPct: 2 } } },
      "tradingBot.risk.trailingStop.distancePct must be a number above 0 and at most 99, got undefined",
    ],
    [
      { risk: { protections: { cooldownCandles: 1.5 } } },
      "tradingBot.risk.protections.cooldownCandles must be a whole number from 1 to 10000, got 1.5",
    ],
    [
      {
        risk: {
          protections: { stopLossGuard: { stops: 2, lookbackCandles: 5, pauseCandles: 3, scope: "pairs" } },
        },
      },
      'tradingBot.risk.protections.stopLossGuard.scope must be "pair" or "account", got "pairs"',
    ],
    [
      { risk: { protections: { maxDrawdown: { pct: 0, lookbackCandles: 5, pauseCandles: 3 } } } },
      "tradingBot.risk.protections.maxDrawdown.pct must be a number above 0 and at most 100, got 0",
    ],
    [
      { watchlist: [{ symbol: "BNBUSDT", timeframes: ["4h"], mode: "signals", risk: {} }] },
      'tradingBot.watchlist[0].risk: an alert-only entry (mode "signals") trades no account',
    ],
  ])("refuses %j in one line naming the key", (given, message) => {
    expect(refusal(given)).toBe(message);
  });

  it("a watchlist entry's own risk replaces tradingBot.risk for its pairs only", () => {
    const config = cycleConfigOf(
      parseSettings({
        risk: { slippageBps: 5 },
        watchlist: [
          {
            symbol: "BNBUSDT",
            timeframes: ["4h"],
            risk: { slippageBps: 10, protections: { cooldownCandles: 3 } },
          },
          { symbol: "ETHUSDT", timeframes: ["4h"] },
        ],
      }),
    );
    const request = (symbol: string) =>
      ({ symbol, timeframe: "4h", accountId: "paper", mode: "trade", dryRun: false }) as Parameters<
        typeof rulesFor
      >[0];
    expect(rulesFor(request("BNBUSDT"), config).risk.slippageBps.toFixed()).toBe("10");
    expect(rulesFor(request("BNBUSDT"), config).risk.protections.cooldownCandles).toBe(3);
    expect(rulesFor(request("ETHUSDT"), config).risk.slippageBps.toFixed()).toBe("5");
  });

  it("refuses a look-back whose equity marks would not fit the account item, naming it", () => {
    const risk = { protections: { maxDrawdown: { pct: 10, lookbackCandles: 100, pauseCandles: 1 } } };
    // 100 daily candles of marks at every hourly close: 2,400.
    expect(refusal({ risk, watchlist: [{ symbol: "BNBUSDT", timeframes: ["1h", "1d"] }] })).toBe(
      "tradingBot.risk: account paper's longest look-back (100 candles of BNBUSDT 1d) keeps 2,400 equity marks of its most frequent pair's closes, more than the 2,000 its item holds; shorten lookbackCandles, or trade that pair from another account",
    );
    expect(refusal({ risk, watchlist: [{ symbol: "BNBUSDT", timeframes: ["4h", "1d"] }] })).toBe("accepted"); // 600
  });

  it("refuses pairs of one account that disagree on its account-wide protections", () => {
    expect(
      refusal({
        watchlist: [
          { symbol: "BNBUSDT", timeframes: ["4h"], risk: { protections: { dailyLossPct: 3 } } },
          { symbol: "ETHUSDT", timeframes: ["4h"] },
        ],
      }),
    ).toBe(
      'tradingBot.watchlist: account paper\'s pairs BNBUSDT 4h and ETHUSDT 4h have different account-wide protections ({"protections":{"dailyLossPct":3}} and none); maxDrawdown, dailyLossPct and an account-scoped stopLossGuard must be the same for every pair of an account',
    );
    // Pair-level ones may differ, and another account may have its own.
    expect(
      refusal({
        watchlist: [
          { symbol: "BNBUSDT", timeframes: ["4h"], risk: { protections: { cooldownCandles: 3 } } },
          {
            symbol: "ETHUSDT",
            timeframes: ["4h"],
            account: "other",
            risk: { protections: { dailyLossPct: 3 } },
          },
        ],
      }),
    ).toBe("accepted");
  });
});
