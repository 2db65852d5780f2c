import { describe, expect, it } from "vitest";
import type { TradeReason } from "../../../shared/domain/account/trade-reason.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import {
  applyProtections,
  type ProtectionOutcome,
  withMark,
} from "../../../shared/domain/trading/protections.ts";
import type { Protections } from "../../../shared/domain/trading/risk-settings.ts";
import type { RiskState } from "../../../shared/domain/trading/risk-state.ts";
import { trade } from "../../helpers/trades.ts";

const H = 3_600_000;
const DAY = 24 * H;
const D0 = Date.UTC(2025, 5, 2); // a Monday, 00:00 UTC

/** One cycle of a 1h pair at close `close`: its exits (reasons), whether they left it flat, the equity after them. */
function run(
  settings: Protections,
  state: RiskState | undefined,
  close: number,
  equity: string,
  opts: { pair?: string; exits?: TradeReason[]; flat?: boolean } = {},
): ProtectionOutcome & { next: RiskState } {
  const [symbol, timeframe] = (opts.pair ?? "BNBUSDT 1h").split(" ") as [string, "1h"];
  const exits = (opts.exits ?? []).map((reason, sequence) =>
    trade({
      side: "SELL",
      quantity: "1",
      price: "100",
      reason,
      symbol,
      timeframe,
      candleTime: close - H,
      sequence,
    }),
  );
  const outcome = applyProtections({
    settings,
    state,
    pair: `${symbol} ${timeframe}`,
    intervalMs: H,
    close,
    exits,
    flat: opts.flat ?? exits.length > 0,
    equityBefore: dec(equity),
    equity: dec(equity),
  });
  return { ...outcome, next: withMark(outcome.state, close, dec(equity)) };
}
const blocked = (o: ProtectionOutcome) => o.blocking?.protection ?? null;

describe("protections, on crafted cycles", () => {
  it("cooldown: no entry at the exit's close nor at the next N closes, then released once", () => {
    const settings = { cooldownCandles: 2 };
    const exit = run(settings, undefined, D0 + 10 * H, "10000", { exits: ["signal"] });
    expect(exit.engaged.map((l) => [l.protection, l.scope, l.until - D0])).toEqual([
      ["cooldown", "BNBUSDT 1h", 13 * H],
    ]);
    expect(blocked(exit)).toBe("cooldown");
    const next = run(settings, exit.next, D0 + 11 * H, "10000");
    const last = run(settings, next.next, D0 + 12 * H, "10000");
    const free = run(settings, last.next, D0 + 13 * H, "10000");
    expect([blocked(next), blocked(last), blocked(free)]).toEqual(["cooldown", "cooldown", null]);
    expect(free.released.map((l) => l.protection)).toEqual(["cooldown"]);
    expect(run(settings, free.next, D0 + 14 * H, "10000").released).toEqual([]);
    // Another pair of the account is not cooled down.
    expect(blocked(run(settings, exit.next, D0 + 11 * H, "10000", { pair: "ETHUSDT 1h" }))).toBeNull();
  });

  it("stop-loss guard: the K-th stop within L candles pauses the pair (or the account) for P candles", () => {
    const pair = { stopLossGuard: { stops: 2, lookbackCandles: 5, pauseCandles: 3, scope: "pair" as const } };
    const first = run(pair, undefined, D0 + H, "10000", { exits: ["stop"] });
    expect(first.engaged).toEqual([]);
    // The second stop 6 candles later: the first is out of the window, nothing engages.
    const late = run(pair, first.next, D0 + 7 * H, "10000", { exits: ["trailing-stop"] });
    expect(late.engaged).toEqual([]);
    // A third, 2 candles after the second: two within 5 candles.
    const third = run(pair, late.next, D0 + 9 * H, "10000", { exits: ["stop"] });
    expect(third.engaged.map((l) => [l.protection, l.scope, (l.until - D0) / H])).toEqual([
      ["stopLossGuard", "BNBUSDT 1h", 12],
    ]);
    expect(third.engaged[0]?.reason).toContain("2 stop exits of BNBUSDT 1h within the last 5 candles");
    expect(blocked(run(pair, third.next, D0 + 11 * H, "10000"))).toBe("stopLossGuard");
    expect(blocked(run(pair, third.next, D0 + 11 * H, "10000", { pair: "ETHUSDT 1h" }))).toBeNull();
    expect(blocked(run(pair, third.next, D0 + 12 * H, "10000"))).toBeNull();
    // Signal exits never count; across the account, two pairs' stops do.
    const account = { stopLossGuard: { ...pair.stopLossGuard, scope: "account" as const } };
    const a = run(account, undefined, D0 + H, "10000", { exits: ["stop"], pair: "ETHUSDT 1h" });
    const b = run(account, a.next, D0 + 2 * H, "10000", { exits: ["signal"] });
    expect(b.engaged).toEqual([]);
    const c = run(account, b.next, D0 + 3 * H, "10000", { exits: ["stop"] });
    expect(c.engaged.map((l) => l.scope)).toEqual(["account"]);
    expect(blocked(run(account, c.next, D0 + 4 * H, "10000", { pair: "XRPUSDT 1h" }))).toBe("stopLossGuard");
  });

  it("maximum drawdown: equity more than X % below its peak of the last L candles pauses the account; an older peak does not count", () => {
    const settings = { maxDrawdown: { pct: dec("10"), lookbackCandles: 4, pauseCandles: 2 } };
    let state = run(settings, undefined, D0 + H, "12000").next; // a peak that will be out of the window
    for (const [k, equity] of [
      [3, "10000"],
      [4, "9500"],
      [5, "9100"],
    ] as const)
      state = run(settings, state, D0 + k * H, equity).next;
    // At close 6 the last 4 candles (closes 3–5, and 6 itself) peak at 10,000: 8,999 is 10.01 % below.
    const at6 = run(settings, state, D0 + 6 * H, "8999");
    expect(at6.engaged.map((l) => [l.protection, l.scope, (l.until - D0) / H])).toEqual([
      ["maxDrawdown", "account", 8],
    ]);
    expect(at6.engaged[0]?.reason).toContain("equity 8999.00 is 10.01 % below its peak of 10000.00");
    // 9,000 is exactly 10 %: not more than the limit.
    expect(run(settings, state, D0 + 6 * H, "9000").engaged).toEqual([]);
    expect(blocked(run(settings, at6.next, D0 + 7 * H, "9300", { pair: "ETHUSDT 1h" }))).toBe("maxDrawdown");
    const released = run(settings, at6.next, D0 + 8 * H, "9300");
    expect(released.released.map((l) => l.protection)).toEqual(["maxDrawdown"]);
  });

  it("daily loss limit: counted from the equity the day began with, until the next 00:00 UTC, then released", () => {
    const settings = { dailyLossPct: dec("3") };
    // The last cycle of the day before left 10,000: the opening of 2 June.
    const before = run(settings, undefined, D0 - H, "10000").next;
    const midnight = run(settings, before, D0, "9800"); // the candle closing at 00:00 is the new day's
    expect(midnight.state.day?.opening.toString()).toBe("10000");
    expect(midnight.engaged).toEqual([]);
    const down = run(settings, midnight.next, D0 + 5 * H, "9699");
    expect(down.engaged.map((l) => [l.protection, l.until])).toEqual([["dailyLossLimit", D0 + DAY]]);
    expect(down.engaged[0]?.reason).toContain("3.01 % below the day's opening 10000.00");
    // A recovery the same day does not lift it; the next day's first close does.
    expect(blocked(run(settings, down.next, D0 + 23 * H, "10100"))).toBe("dailyLossLimit");
    const nextDay = run(settings, down.next, D0 + DAY, "9699");
    expect(nextDay.released.map((l) => l.protection)).toEqual(["dailyLossLimit"]);
    expect(blocked(nextDay)).toBeNull();
    // The new day's opening is the equity the last cycle left: 9,699.
    expect(nextDay.state.day?.opening.toString()).toBe("9699");
  });

  it("engages once: a protection that holds its scope already does not engage again", () => {
    const settings = { dailyLossPct: dec("1") };
    const start = run(settings, undefined, D0 + H, "10000").next;
    const once = run(settings, start, D0 + 2 * H, "9800");
    expect(once.engaged).toHaveLength(1);
    expect(run(settings, once.next, D0 + 3 * H, "9700").engaged).toEqual([]);
  });
});
