import { describe, expect, it } from "vitest";
import { formatResult } from "../../cli/format-result.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";

const base: CycleResult = {
  status: "ok",
  dryRun: false,
  symbol: "BNBUSDT",
  timeframe: "4h",
  accountId: "paper",
  candle: { openTime: "2025-06-22T12:00:00.000Z", closeTime: "2025-06-22T16:00:00.000Z", close: 603.1 },
  exits: [],
  entry: null,
  position: null,
  durationMs: 12,
};

describe("a cycle's result in the terminal", () => {
  it("reads like the alerts: fill times in UTC, USDT sums to 2 decimals, realised PnL signed and labelled", () => {
    const text = formatResult({
      ...base,
      strategy: "ma-distance",
      signal: { action: "SELL", reason: "the price crossed above the average" },
      exits: [
        {
          side: "SELL",
          quantity: "1.567",
          price: "603.1",
          quoteAmount: "945.0577",
          fee: "0.9450577",
          reason: "signal",
          candle: "2025-06-22T12:00:00.000Z",
          realizedPnl: "-49.7787917",
        },
      ],
      account: { usdtFree: "9949.2212083", equity: "9949.2212083" },
    });
    expect(text).toBe(
      [
        "BNBUSDT 4h: ok, candle closed 2025-06-22 16:00 UTC, close 603.1",
        "  signal: SELL — the price crossed above the average",
        "  exit:   SELL 1.567 @ 603.1 (signal), fee 0.9450577, realised PnL -49.78 USDT",
        "  account: 9949.22 USDT free, equity 9949.22 USDT",
        "",
      ].join("\n"),
    );
  });

  it("names a position's missing exits instead of printing undefined", () => {
    const text = formatResult({
      ...base,
      signal: { action: "HOLD", reason: "no signal", trend: "UPTREND" },
      position: {
        quantity: "0.5",
        entryPrice: "600",
        entryTime: "2025-06-22T08:00:00.000Z",
        tp1Taken: false,
      },
    });
    expect(text).toContain("  signal: HOLD (UPTREND) — no signal\n");
    expect(text).toContain("  position: 0.5 from 600, stop none, targets none / none\n");
  });

  it("says which protection kept a BUY out, and what engaged or released", () => {
    const text = formatResult({
      ...base,
      signal: { action: "BUY", reason: "dip" },
      entrySkipped:
        "cooldown: BNBUSDT 4h exited at 2025-06-22 08:00 UTC; no entry on it for 2 more candle(s) (until 2025-06-22 20:00 UTC)",
      protections: {
        active: [],
        engaged: ["maxDrawdown (account)"],
        released: ["dailyLossLimit (account)"],
        blockedEntry: "cooldown",
      },
    });
    expect(text).toContain(
      "  entry skipped: cooldown: BNBUSDT 4h exited at 2025-06-22 08:00 UTC; no entry on it for 2 more candle(s) (until 2025-06-22 20:00 UTC)\n  protection engaged: maxDrawdown (account)\n  protection released: dailyLossLimit (account)\n",
    );
  });
});
