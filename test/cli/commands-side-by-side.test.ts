import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinanceStandIn, BNBUSDT_INFO } from "../../cli/stand-ins/binance-stand-in.ts";
import { BUY, closeOf, hourlyCandles } from "../helpers/hourly-market.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

const SYMBOLS = ["BNBUSDT", "ETHUSDT", "BTCUSDT", "SOLUSDT", "XRPUSDT", "ADAUSDT"];
let server: BinanceStandIn;
const dir = mkdtempSync(join(tmpdir(), "side-by-side-"));
const configFile = join(dir, "cdk.json");

beforeAll(async () => {
  server = await BinanceStandIn.start();
  for (const symbol of SYMBOLS)
    server.serve(symbol, "1h", hourlyCandles, { ...BNBUSDT_INFO, baseAsset: symbol.replace("USDT", "") });
  writeFileSync(
    configFile,
    JSON.stringify({
      context: { tradingBot: { watchlist: SYMBOLS.map((symbol) => ({ symbol, timeframes: ["1h"] })) } },
    }),
  );
});
afterAll(async () => server.close());

describe("several local commands at once on one data folder", () => {
  it("six npm run cycle for different pairs, started together: every one succeeds (a short command's store is waited for, not lost)", async () => {
    const dataDir = join(dir, "data");
    const env = {
      BINANCE_BASE_URL: server.url,
      TRADER_CLOCK_START: new Date(closeOf(BUY) + 60_000).toISOString(),
    };
    const runs = await Promise.all(
      SYMBOLS.map((symbol) =>
        runCliAsync(
          "cycle",
          ["--config", configFile, "--data-dir", dataDir, "--symbol", symbol, "--timeframe", "1h", "--json"],
          env,
        ),
      ),
    );
    for (const [i, run] of runs.entries()) {
      expect(run.stderr, SYMBOLS[i]).not.toContain("ECONNREFUSED");
      expect(run.status, `${SYMBOLS[i]}: ${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        status: "ok",
        symbol: SYMBOLS[i],
        signal: { action: "BUY" },
      });
    }
    // The ones that waited said so, on stderr.
    expect(
      runs.filter((r) => /waiting for npm run cycle \(pid \d+\) to finish with /.test(r.stderr)).length,
    ).toBeGreaterThan(0);
    const status = await runCliAsync(
      "status",
      ["--config", configFile, "--data-dir", dataDir, "--json"],
      env,
    );
    expect(status.status).toBe(0);
    const positions = (JSON.parse(status.stdout) as { positions: { symbol: string }[] }).positions;
    // Every entry a cycle reported is in the one account (the default rules hold the rest back).
    const entered = runs
      .map((r) => JSON.parse(r.stdout))
      .filter((r) => r.entry)
      .map((r) => r.symbol);
    expect(entered.length).toBeGreaterThan(1);
    expect(positions.map((p) => p.symbol).sort()).toEqual(entered.sort());
  }, 180_000);
});
