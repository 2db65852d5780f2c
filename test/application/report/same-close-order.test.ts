import { describe, expect, it } from "vitest";
import { sameCloseOrderLine } from "../../../cli/report/format-live-report.ts";
import { ACTIVE, LiveSession } from "../../helpers/live-session.ts";

describe("the report names a live order at a close other than the backtest's as its own cause", () => {
  it("three pairs sharing cash and slots, committed in reverse at every close: the order named with its effect, nothing unexplained", async () => {
    const session = new LiveSession().configure({
      symbols: ["BNBUSDT", "ETHUSDT", "XRPUSDT"],
      params: ACTIVE,
      stake: "0.3",
    });
    await session.run(30, 160, { reversed: true });
    const report = await session.report();
    expect(report.unexplainedCycles + report.unexplainedFills).toBe(0);
    const order = report.sameCloseOrder;
    expect(order?.closes).toBe(131);
    expect(order?.first.live).toEqual(["XRPUSDT 1h", "ETHUSDT 1h", "BNBUSDT 1h"]);
    expect(order?.first.backtest).toEqual(["BNBUSDT 1h", "ETHUSDT 1h", "XRPUSDT 1h"]);
    expect(sameCloseOrderLine(order as NonNullable<typeof order>, "USDT")).toMatch(
      /^same-close order: at 131 close\(s\) live committed the account's cycles in another order than the backtest's \(the watchlist's\); first at .+ UTC: XRPUSDT 1h took its turn before BNBUSDT 1h \(live XRPUSDT 1h, ETHUSDT 1h, BNBUSDT 1h; backtest BNBUSDT 1h, ETHUSDT 1h, XRPUSDT 1h\); effect on the final equity [+-]\d+\.\d\d USDT$/,
    );
  }, 60_000);

  it("says nothing of the order when live ran the watchlist's", async () => {
    const session = new LiveSession().configure({
      symbols: ["BNBUSDT", "ETHUSDT"],
      params: ACTIVE,
      stake: "0.3",
    });
    await session.run(30, 80);
    expect((await session.report()).sameCloseOrder).toBeUndefined();
  }, 60_000);
});
