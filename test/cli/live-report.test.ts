import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BNBUSDT_INFO } from "../../cli/stand-ins/binance-stand-in.ts";
import { closeOf, HOUR, T0 } from "../helpers/hourly-market.ts";
import { at, binance, candles, newSession, report, run, useReportMarket } from "../helpers/report-session.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

useReportMarket();

describe("npm run report: live against the backtest on the real account", () => {
  it("finds no divergence in a session with no gap, fill for fill, and writes the same as HTML", async () => {
    const session = newSession();
    const statuses = await run(session, 300, 440);
    expect(statuses.failures).toEqual([]);
    const text = await report(session, "--html", "live.html");
    expect(text.stderr).toBe("");
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(
      "No divergence: live equals the backtest fill for fill, and every live cycle replays exactly.",
    );
    expect(text.stdout).toContain("Times: UTC, each cycle and fill at its candle's close.");
    expect(text.stdout).toContain(
      "Fidelity: 141 live cycle(s) replayed, each from the state the ledger had before it: 141 equal",
    );
    expect(text.stdout).toContain("Fills: 6 live, 6 in the backtest, 6 equal");
    expect(text.stdout).toContain("141 live cycle(s) of 141");
    const html = readFileSync(join(session.dir, "reports", "live.html"), "utf8");
    expect(html).toContain("No divergence");
    expect(html).toContain("as live used them: tick 0.01000000, step 0.00100000");
    expect(text.stdout).toContain("Exchange filters: those each live cycle sized with, as recorded");
    const { json, status } = await report(session, "--json");
    expect(status).toBe(0);
    expect(json.fills).toEqual({ live: 6, backtest: 6, equal: 6 });
    expect(json.divergences).toEqual([]);
    expect(json.fidelity).toMatchObject({ checked: 141, equal: 141, findings: [] });
    expect(json.path.backtestEquity).toBe(json.path.liveEquity);
    // One time convention: a pair's period and every fill at its candle's close.
    expect(json.pairs[0]).toMatchObject({
      firstClose: new Date(closeOf(300)).toISOString(),
      lastClose: new Date(closeOf(440)).toISOString(),
    });
    expect(html).toContain(`<td>${at(300)} UTC</td><td>${at(440)} UTC</td>`);
    // --fills lists every fill, equal ones too, each with its pair and its candle's close.
    const listed = await report(session, "--fills");
    const equalLines = listed.stdout
      .split("\n")
      .filter((l) => l.includes("BNBUSDT 1h") && l.includes(": equal, "));
    expect(equalLines).toHaveLength(6);
    expect(equalLines[0]).toMatch(
      /^ {2}\d{4}-\d\d-\d\d \d\d:00 UTC {2}BNBUSDT 1h {2}BUY entry: equal, \d+\.\d{3} @ \d+\.\d\d fee /,
    );
    expect(json.pairs[0].settings).toMatchObject({
      strategy: "ma-distance",
      "params.maPeriod": "20",
      feeRate: "0.001",
    });
  }, 60_000);

  it("replays an account of two pairs sharing one balance and the position limit: no divergence", async () => {
    const session = newSession({}, ["BNBUSDT", "ETHUSDT"]);
    await run(session, 300, 440);
    const { json, status } = await report(session, "--json");
    expect(status).toBe(0);
    expect(json.pairs.map((p: { symbol: string }) => p.symbol)).toEqual(["BNBUSDT", "ETHUSDT"]);
    expect(json.divergences).toEqual([]);
    expect(json.fills.live).toBeGreaterThan(6); // both pairs traded
    expect(json.fills).toEqual({ live: json.fills.live, backtest: json.fills.live, equal: json.fills.live });
  }, 60_000);

  it("sizes the replay with the exchange filters each live cycle used, not today's (Binance changed the lot step mid-way)", async () => {
    const session = newSession();
    const coarse = { ...BNBUSDT_INFO, stepSize: "0.01000000", minQty: "0.01000000" };
    try {
      await run(session, 300, 365); // sized with a step of 0.001
      binance().serve("BNBUSDT", "1h", candles, coarse);
      await run(session, 366, 440); // then 0.01, as Binance serves today
      const { json, status } = await report(session, "--json");
      expect(status).toBe(0);
      expect(json.divergences).toEqual([]);
      expect(json.pairs[0].filters).toMatchObject({ source: "records", stepSize: "0.01000000" });
      expect((await report(session)).stdout).toContain(
        "Exchange filters: those each live cycle sized with, as recorded",
      );
      // Both steps are in the ledger: entries before the change on 0.001, after it on 0.01.
      const ledger = await runCliAsync(
        "status",
        ["--config", session.config, "--data-dir", session.dir, "--json", "--trades", "100"],
        { BINANCE_BASE_URL: binance().url },
      );
      const entries = (
        JSON.parse(ledger.stdout).trades as { reason: string; quantity: string; candleTime: string }[]
      ).filter((t) => t.reason === "entry");
      const decimals = (q: string) => q.split(".")[1]?.length ?? 0;
      const changed = T0 + 366 * HOUR;
      const before = entries.filter((t) => Date.parse(t.candleTime) < changed);
      const after = entries.filter((t) => Date.parse(t.candleTime) >= changed);
      expect(before.some((t) => decimals(t.quantity) === 3)).toBe(true);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((t) => decimals(t.quantity) <= 2)).toBe(true);
      expect(json.fills.equal).toBe(json.fills.live);
    } finally {
      binance().serve("BNBUSDT", "1h", candles);
    }
  }, 60_000);

  it("says clearly when the account does not exist, and writes nothing", async () => {
    const session = newSession();
    await run(session, 300, 302); // a store with the account "paper" only
    const { status, stderr } = await report(session, "--account", "nobody");
    expect(status).toBe(2);
    expect(stderr).toContain('no paper account "nobody"');
    expect(stderr).not.toContain("    at ");
  }, 60_000);
});
