import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { BinanceStandIn } from "../../cli/stand-ins/binance-stand-in.ts";
import { fixtureCandles, marketCsv } from "./fixtures.ts";
import { runCliAsync } from "./run-cli.ts";

/** The 4h fixture as a CSV, and the arguments of its backtest. */
export const BNB_4H_CSV = marketCsv("BNBUSDT-4h");
export const BNB_CSV_ARGS = ["--symbol", "BNBUSDT", "--timeframe", "4h", "--csv", BNB_4H_CSV];

/**
 * `npm run backtest` for a test file: a folder of its own, and Binance on loopback serving the 4h
 * fixture (for a CSV's exchange filters and downloads), its clock after the fixture's last candle.
 */
export function useBacktestCli() {
  const dir = mkdtempSync(join(tmpdir(), "backtest-"));
  let server: BinanceStandIn | undefined;
  beforeAll(async () => {
    server = await BinanceStandIn.start();
    server.serve("BNBUSDT", "4h", fixtureCandles("BNBUSDT-4h"));
    server.now = () => Date.UTC(2025, 10, 15);
  });
  afterAll(async () => server?.close());
  const binance = () => server as BinanceStandIn;
  return {
    dir,
    binance,
    /** The CLI with Binance at the test server and a data folder of its own (unless given). */
    backtest: (args: string[], env: Record<string, string> = {}) =>
      runCliAsync(
        "backtest",
        args.includes("--data-dir") ? args : [...args, "--data-dir", join(dir, "data")],
        {
          BINANCE_BASE_URL: binance().url,
          ...env,
        },
      ),
  };
}
