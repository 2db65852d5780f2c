import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinanceStandIn } from "../../cli/stand-ins/binance-stand-in.ts";
import { BUY, closeOf, hourlyCandles } from "../helpers/hourly-market.ts";
import { PROJECT_ROOT, runCliAsync } from "../helpers/run-cli.ts";

const SPEED = 1800; // half an hour of market time per second
let server: BinanceStandIn;
const dir = mkdtempSync(join(tmpdir(), "local-rebalance-"));
const configFile = join(dir, "cdk.json");

beforeAll(async () => {
  server = await BinanceStandIn.start();
  server.serve("BNBUSDT", "1h", hourlyCandles);
  writeFileSync(
    configFile,
    JSON.stringify({
      context: {
        tradingBot: {
          watchlist: [{ symbol: "BNBUSDT", timeframes: ["1h"] }],
          rebalancing: [
            {
              accountId: "half",
              symbols: ["BNBUSDT"],
              weighting: "fixed",
              weights: { BNBUSDT: 50, cash: 50 },
              timeframe: "1h",
            },
          ],
        },
      },
    }),
  );
});
afterAll(async () => server.close());

describe("npm start with a rebalancing account", () => {
  it("rebalances it at every close of its timeframe, as its rule would, and status shows it", async () => {
    const start = closeOf(BUY) - 40 * 60_000;
    const origin = Date.now();
    server.now = () => start + (Date.now() - origin) * SPEED;
    const dataDir = join(dir, "data");
    const child = spawn(
      process.execPath,
      ["cli/start.ts", "--config", configFile, "--data-dir", dataDir, "--pretty"],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          BINANCE_BASE_URL: server.url,
          TRADER_CLOCK_START: new Date(start).toISOString(),
          TRADER_CLOCK_SPEED: String(SPEED),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    const exited = new Promise((resolve) => child.on("close", resolve));
    const until = Date.now() + 30_000;
    while (
      Date.now() < until &&
      !/rebalance of half \(1h\): ok, at the close of 2026-02-08 12:00 UTC/.test(out)
    )
      await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGINT");
    await exited;
    expect(out).toMatch(
      /rebalance of half \(1h\): ok, at the close of 2026-02-08 11:00 UTC\n {2}signal: REBALANCE/,
    );
    expect(out).toMatch(/ {2}leg: {4}BNBUSDT BUY [\d.]+ @ [\d.]+ \(rebalance\)/);
    const status = await runCliAsync(
      "status",
      ["--config", configFile, "--data-dir", dataDir, "--account", "half"],
      {
        BINANCE_BASE_URL: server.url,
      },
    );
    expect(status.stdout).toMatch(
      / {2}BNBUSDT: [\d.]+ @ [\d.]+, (49|50)\.\d\d % of equity \(target 50\.00 %\)/,
    );
  }, 60_000);
});
