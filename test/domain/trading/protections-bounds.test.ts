import { describe, expect, it } from "vitest";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { applyProtections, withMark } from "../../../shared/domain/trading/protections.ts";
import { MAX_RISK_EXITS, MAX_RISK_MARKS, type RiskState } from "../../../shared/domain/trading/risk-state.ts";

const H = 3_600_000;
const D0 = Date.UTC(2025, 5, 2);
const equity = dec("10000");

/** A state with `marks` hourly marks and `exits` hourly exits ending at `end`, kept for `keepMs`. */
function grown(end: number, marks: number, exits: number, keepMs: number): RiskState {
  return {
    marks: Array.from({ length: marks }, (_, i) => ({ close: end - (marks - i) * H, equity })),
    exits: Array.from({ length: exits }, (_, i) => ({
      pair: "BNBUSDT 1h",
      close: end - (exits - i) * H,
      reason: "stop" as const,
    })),
    keepMs,
    locks: [],
  };
}

const cycle = (state: RiskState, lookbackCandles: number, close: number, accountKeepMs?: number) =>
  applyProtections({
    settings: { maxDrawdown: { pct: dec(10), lookbackCandles, pauseCandles: 2 } },
    state,
    pair: "BNBUSDT 1h",
    intervalMs: H,
    close,
    exits: [],
    flat: false,
    equityBefore: equity,
    equity,
    accountKeepMs,
  });

describe("the protections' state stays bounded", () => {
  it("a look-back shortened in the settings drops what it no longer reads (not the old, longer keep)", () => {
    const close = D0 + 5_000 * H;
    // Kept for a 2,000-candle look-back of a 1d pair; the settings now say 24 candles of 1h.
    const before = grown(close, 1_500, 0, 2_000 * 24 * H);
    const outcome = cycle(before, 24, close);
    expect(outcome.state.keepMs).toBe(24 * H);
    expect(outcome.state.marks.length).toBe(23);
    expect(outcome.trimmed).toBeUndefined();
  });

  it("keeps what another pair of the account still reads (the account's longest look-back in force)", () => {
    const close = D0 + 5_000 * H;
    const outcome = cycle(grown(close, 500, 0, 0), 24, close, 168 * H);
    expect(outcome.state.keepMs).toBe(168 * H);
    expect(outcome.state.marks.length).toBe(167);
  });

  it("caps marks and exits at run time, newest kept, and says once what a state over the caps lost", () => {
    const close = D0 + 20_000 * H;
    const over = grown(close, 2_910, 1_200, 20_000 * H);
    const outcome = cycle(over, 10_000, close);
    expect(outcome.trimmed).toEqual({ marks: 910, exits: 200 });
    const next = withMark(outcome.state, close, equity);
    expect(next.marks.length).toBe(MAX_RISK_MARKS);
    expect(next.marks.at(-1)?.close).toBe(close);
    expect(next.marks[0]?.close).toBe(close - (MAX_RISK_MARKS - 1) * H);
    expect(outcome.state.exits.length).toBe(MAX_RISK_EXITS);
    expect(outcome.state.exits.at(-1)?.close).toBe(close - H);
    // The next cycle reads a state within the caps: nothing more to say.
    expect(cycle(next, 10_000, close + H).trimmed).toBeUndefined();
    expect(withMark(cycle(next, 10_000, close + H).state, close + H, equity).marks.length).toBe(
      MAX_RISK_MARKS,
    );
  });
});
