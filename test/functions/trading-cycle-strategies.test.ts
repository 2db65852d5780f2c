import { describe, expect, it } from "vitest";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";
import { BUY, useHandler } from "../helpers/handler-harness.ts";

const h = useHandler();
const MA_BUY = 899; // ma-distance (20, -2.4, 2.0) says BUY at this candle of the 4h fixture
const MA_SELL = 959;

describe("strategies in the deployed function", () => {
  it("runs each watchlist entry's own strategy: ma-distance trades the account it was given", async () => {
    h.accountId = "ma";
    const buy = await h.handler(h.event(MA_BUY, { strategy: "ma-distance" }), h.context());
    expect(buy).toMatchObject({ status: "ok", strategy: "ma-distance", signal: { action: "BUY" } });
    expect(buy.entry?.side).toBe("BUY");
    expect(buy.position?.stopLoss).toBeUndefined(); // ma-distance sets no stop: its SELL closes
    const sell = await h.handler(h.event(MA_SELL, { strategy: "ma-distance" }), h.context());
    expect(sell.exits.map((e) => e.reason)).toEqual(["signal"]);
    expect(sell.position).toBeNull();
    // The default strategy's event for that account is refused: the account runs ma-distance there.
    const wrong = (await h.run(
      h.event(MA_SELL + 1, { strategy: "fibonacci-golden-zone" }),
      h.context(),
    )) as CycleResult;
    expect(wrong.error?.type).toBe("UnscheduledPairError");
    expect(wrong.error?.message).toContain("runs ma-distance in the watchlist, not fibonacci-golden-zone");
  });

  it("sends one signal alert per BUY or SELL candle in alert-only mode, and touches no account", async () => {
    const event = (i: number) =>
      h.event(i, { strategy: "ma-distance", mode: "signals", accountId: undefined });
    const first = await h.handler(event(MA_BUY), h.context());
    expect(first).toMatchObject({
      status: "ok",
      mode: "signals",
      strategy: "ma-distance",
      signal: { action: "BUY" },
      entry: null,
      alerts: { sent: 1, failed: 0 },
    });
    const again = await h.handler(event(MA_BUY), h.context());
    expect(again.status).toBe("duplicate");
    const hold = await h.handler(event(MA_BUY + 5), h.context());
    expect(hold.signal?.action).toBe("HOLD");
    expect(h.stack.sns.published.map((m) => [m.attributes.event, m.attributes.action])).toEqual([
      ["signal", "BUY"],
    ]);
    expect(h.stack.sns.published[0]?.subject).toMatch(
      /^BUY signal BNBUSDT 4h \(ma-distance\) at \d+(\.\d+)?$/,
    );
    expect(await h.repository.loadState("signals")).toBeUndefined();
  });

  it("lets a dry run name any strategy and parameters; a live event may not carry parameters", async () => {
    const dry = await h.handler(
      h.event(MA_BUY, { strategy: "ma-distance", params: { maPeriod: 50 }, dryRun: true }),
      h.context(),
    );
    expect(dry).toMatchObject({ status: "ok", strategy: "ma-distance", dryRun: true });
    const bad = (await h.run(
      h.event(BUY, { strategy: "ma-distance", params: { maPeriod: 1 }, dryRun: true }),
      h.context(),
    )) as CycleResult;
    expect(bad.error).toMatchObject({ type: "InvalidRequestError", retryable: false });
    expect(bad.error?.message).toContain("maPeriod must be between 2 and 1000, got 1");
    const live = (await h.run(h.event(BUY, { params: { maPeriod: 50 } }), h.context())) as CycleResult;
    expect(live.error?.message).toContain("params are for dry runs only");
    expect(await h.repository.loadState(h.accountId)).toBeUndefined();
  });
});
