import { describe, expect, it } from "vitest";
import { parseWatchlist, scheduledEvent, watchlistJson } from "../../../shared/adapters/config/watchlist.ts";

const W = "tradingBot.watchlist";

describe("the watchlist", () => {
  it("expands entries to pairs, each with its strategy, parameters, account and mode", () => {
    const pairs = parseWatchlist(
      [
        { symbol: "BNBUSDT", timeframes: ["1h", "4h"] },
        {
          symbol: "BNBUSDT",
          timeframes: ["4h"],
          strategy: "ma-distance",
          params: { maPeriod: 100 },
          account: "ma",
        },
        { symbol: "ETHUSDT", timeframes: ["1d"], strategy: "ma-distance", mode: "signals" },
      ],
      "paper",
    );
    expect(pairs.map((p) => [p.symbol, p.timeframe, p.strategy.name, p.accountId, p.mode])).toEqual([
      ["BNBUSDT", "1h", "fibonacci-golden-zone", "paper", "trade"],
      ["BNBUSDT", "4h", "fibonacci-golden-zone", "paper", "trade"],
      ["BNBUSDT", "4h", "ma-distance", "ma", "trade"],
      ["ETHUSDT", "1d", "ma-distance", "signals", "signals"],
    ]);
    expect(pairs[2]?.strategy.params).toMatchObject({ maPeriod: 100, buyThreshold: -2.4 });
    expect(scheduledEvent(pairs[2] as never)).toEqual({
      symbol: "BNBUSDT",
      timeframe: "4h",
      accountId: "ma",
      strategy: "ma-distance",
    });
    expect(scheduledEvent(pairs[3] as never)).toEqual({
      symbol: "ETHUSDT",
      timeframe: "1d",
      strategy: "ma-distance",
      mode: "signals",
    });
    // What the function's environment carries reads back to the same pairs.
    const again = parseWatchlist(JSON.parse(watchlistJson(pairs, "paper")), "paper", "WATCHLIST");
    expect(
      again.map((p) => [p.symbol, p.timeframe, p.strategy.name, p.strategy.params, p.accountId, p.mode]),
    ).toEqual(
      pairs.map((p) => [p.symbol, p.timeframe, p.strategy.name, p.strategy.params, p.accountId, p.mode]),
    );
  });

  it.each([
    [[], `${W} must be a non-empty list`],
    [
      [{ symbol: "BNBUSDT", timeframes: ["4h"], strategy: "nope" }],
      `${W}[0].strategy: unknown strategy "nope"; the strategies: fibonacci-golden-zone`,
    ],
    [
      [{ symbol: "BNBUSDT", timeframes: ["4h"], strategy: "dca", params: { often: 2 } }],
      `${W}[0].params of dca: unknown parameter "often"; its parameters: quoteAmount, every`,
    ],
    [
      [{ symbol: "BNBUSDT", timeframes: ["4h"], strategy: "dca", params: { every: 0 } }],
      "every must be between 1 and 10000, got 0",
    ],
    [
      [{ symbol: "BNBUSDT", timeframes: ["4h"], mode: "alerts" }],
      `${W}[0].mode must be "trade" or "signals"`,
    ],
    [
      [{ symbol: "BNBUSDT", timeframes: ["4h"], mode: "signals", account: "x" }],
      'an alert-only entry (mode "signals") trades no account',
    ],
    [[{ symbol: "BNBUSDT", timeframes: ["4h"], account: "signals" }], '"signals" is reserved'],
    [[{ symbol: "BNBUSDT", timeframes: ["4h"], strategie: "dca" }], `${W}[0]: unknown key(s) strategie`],
    [
      [
        { symbol: "BNBUSDT", timeframes: ["4h"] },
        { symbol: "BNBUSDT", timeframes: ["4h"], strategy: "ma-distance" },
      ],
      `${W}[1]: BNBUSDT 4h is traded twice by account paper (fibonacci-golden-zone and ma-distance); an account trades one strategy per pair: give one of them its own "account"`,
    ],
  ])("refuses what it cannot run, naming the entry and the key (%#)", (value, message) => {
    expect(() => parseWatchlist(value, "paper")).toThrowError(message);
  });
});
