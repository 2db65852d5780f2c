import { describe, expect, it } from "vitest";
import { runCliAsync } from "../helpers/run-cli.ts";

describe("a candles CSV run with another timeframe than its own", () => {
  it("says which timeframe the file holds, instead of 'a gap of 3 candle(s)'", async () => {
    const run = await runCliAsync("backtest", [
      ...["--symbol", "BNBUSDT", "--timeframe", "1h", "--csv", "test/fixtures/market/BNBUSDT-4h.csv"],
      ...["--tick", "0.01", "--step", "0.001", "--min-notional", "5"],
    ]);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      "test/fixtures/market/BNBUSDT-4h.csv holds 4h candles (every one 4h after the last), not 1h: run it with --timeframe 4h",
    );
    expect(run.stderr).not.toContain("gap of");
  }, 60_000);
});
