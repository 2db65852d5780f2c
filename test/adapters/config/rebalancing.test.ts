import { describe, expect, it } from "vitest";
import { parseSettings } from "../../../shared/adapters/config/settings.ts";

const good = {
  accountId: "basket",
  symbols: ["BTCUSDT", "ETHUSDT", "BNBUSDT"],
  weighting: "fixed",
  weights: { BTCUSDT: 40, ETHUSDT: 30, BNBUSDT: 20, cash: 10 },
  timeframe: "1d",
  every: 7,
  bandPct: 5,
};
const refusal = (entry: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  try {
    parseSettings({ rebalancing: [{ ...good, ...entry }], ...extra });
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
};

describe("tradingBot.rebalancing", () => {
  it("reads a basket: weights as exact percents, the schedule, the band, the account's defaults", () => {
    const [b] = parseSettings({ rebalancing: [good] }).rebalancing;
    expect(b?.weights?.BTCUSDT?.toFixed()).toBe("40");
    expect(b?.cashPct.toFixed()).toBe("10");
    expect([
      b?.timeframe,
      b?.every,
      b?.bandPct.toFixed(),
      b?.initialBalance.toFixed(),
      b?.feeRate.toFixed(),
    ]).toEqual(["1d", 7, "5", "10000", "0.001"]);
  });

  it("takes the account-wide slippage (tradingBot.risk.slippageBps) unless the basket gives its own", () => {
    const risk = { slippageBps: 5 };
    expect(parseSettings({ rebalancing: [good] }).rebalancing[0]?.slippageBps.toFixed()).toBe("0");
    expect(parseSettings({ rebalancing: [good], risk }).rebalancing[0]?.slippageBps.toFixed()).toBe("5");
    const own = parseSettings({ rebalancing: [{ ...good, slippageBps: 12.5 }], risk }).rebalancing[0];
    expect(own?.slippageBps.toFixed()).toBe("12.5");
    expect(refusal({ slippageBps: 2_000 })).toBe(
      "tradingBot.rebalancing[0].slippageBps must be a number of basis points from 0 to 1000, got 2000",
    );
  });

  it("reads an hour for the schedule to count from, at which the legs' candles close", () => {
    const [b] = parseSettings({
      rebalancing: [{ ...good, timeframe: "1h", every: 24, hourUtc: 12 }],
    }).rebalancing;
    expect([b?.timeframe, b?.every, b?.hourUtc]).toEqual(["1h", 24, 12]);
    expect(parseSettings({ rebalancing: [good] }).rebalancing[0]?.hourUtc).toBe(0);
  });

  it.each([
    [
      { weights: { BTCUSDT: 40, ETHUSDT: 30, BNBUSDT: 20 } },
      "tradingBot.rebalancing[0].weights add up to 90 %, not 100 %",
    ],
    [
      { symbols: ["BTCUSDT", "ETHBTC", "BNBUSDT"] },
      'tradingBot.rebalancing[0].symbols[1] must be quoted in USDT, the account\'s cash, got "ETHBTC"',
    ],
    [{ symbols: [] }, "tradingBot.rebalancing[0].symbols must be a non-empty list"],
    [
      { weights: { BTCUSDT: 89.95, ETHUSDT: 0.05, BNBUSDT: 10 } },
      "tradingBot.rebalancing[0].weights.ETHUSDT: ETHUSDT's 0.05 % of 10000 USDT is 5 USDT, below the 10 USDT an order must reach",
    ],
    [{ every: 0 }, "tradingBot.rebalancing[0].every must be a whole number from 1 to 10000, got 0"],
    [{ timeframe: "3d" }, "tradingBot.rebalancing[0].timeframe must be one of 1h, 4h, 1d, 1w"],
    [{ weighting: "equal" }, "tradingBot.rebalancing[0].weights is for the fixed weighting only"],
    [{ weighting: "inverse-volatility", weights: undefined, timeframe: "1w" }, "1w has no daily returns"],
    [{ bandPct: -1 }, "tradingBot.rebalancing[0].bandPct must be a percent from 0 to 100, got -1"],
    [
      { every: 7, hourUtc: 9 },
      "tradingBot.rebalancing[0].hourUtc 9: 1d candles close at 00:00 UTC only; for a daily rebalance at 09:00 UTC use timeframe 1h with every 24 (weekly: 168)",
    ],
    [
      { timeframe: "4h", every: 6, hourUtc: 9 },
      "tradingBot.rebalancing[0].hourUtc 9: 4h candles close at 00:00, 04:00, 08:00, 12:00, 16:00, 20:00 UTC only",
    ],
    [
      { timeframe: "1h", every: 24, hourUtc: 24 },
      "tradingBot.rebalancing[0].hourUtc must be a whole number from 0 to 23, got 24",
    ],
    [{ every: 7, hourOfDay: 9 }, "unknown key(s) in tradingBot.rebalancing[0]: hourOfDay"],
    [
      {
        symbols: Array.from({ length: 97 }, (_, i) => `C${String(i).padStart(3, "0")}USDT`),
        weighting: "equal",
        weights: undefined,
      },
      "holds 97 symbols, more than the 96 one rebalance can commit (DynamoDB's 100 items a transaction",
    ],
  ])("refuses %j in one line naming the key", (entry, message) => {
    const said = refusal(entry);
    expect(said).toContain(message);
    expect(said.split("\n")).toHaveLength(1);
  });

  it("refuses an account the watchlist trades: the basket's balances are its own", () => {
    expect(refusal({ accountId: "paper" })).toContain(
      "tradingBot.rebalancing[0].accountId must name an account no watchlist entry trades",
    );
  });
});
