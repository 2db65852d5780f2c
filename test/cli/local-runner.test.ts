import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinanceStandIn } from "../../cli/stand-ins/binance-stand-in.ts";
import { BUY, closeOf, hourlyCandles } from "../helpers/hourly-market.ts";
import { PROJECT_ROOT, runCliAsync } from "../helpers/run-cli.ts";

const SPEED = 1800; // half an hour of market time per second

let server: BinanceStandIn;
let closedPort = "";
let configFile: string;
const dirs = mkdtempSync(join(tmpdir(), "runner-"));

beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve)); // nothing listens there any more
  server = await BinanceStandIn.start();
  server.serve("BNBUSDT", "1h", hourlyCandles);
  configFile = join(dirs, "cdk.json");
  writeFileSync(
    configFile,
    JSON.stringify({ context: { tradingBot: { watchlist: [{ symbol: "BNBUSDT", timeframes: ["1h"] }] } } }),
  );
});
afterAll(async () => server.close());

/** Starts `npm start` with a clock at `start` running SPEED× faster; the test server follows the same clock. */
function startRunner(start: number, args: string[], env: Record<string, string> = {}) {
  const origin = Date.now();
  server.now = () => start + (Date.now() - origin) * SPEED;
  const child = spawn(process.execPath, ["cli/start.ts", "--config", configFile, ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      BINANCE_BASE_URL: server.url,
      TRADER_CLOCK_START: new Date(start).toISOString(),
      TRADER_CLOCK_SPEED: String(SPEED),
      BINANCE_CALL_TIMEOUT_MS: "3000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
  });
  child.stderr.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    output: () => stdout,
    async waitFor(text: string | RegExp, ms = 20_000) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (typeof text === "string" ? stdout.includes(text) : text.test(stdout)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`runner never printed ${text}; it printed:\n${stdout}`);
    },
    async stop() {
      child.kill("SIGINT");
      return exited;
    },
  };
}

const localEnv = () => ({
  BINANCE_BASE_URL: server.url,
  TRADER_CLOCK_START: new Date(closeOf(BUY) + 60_000).toISOString(),
});

describe("npm start", () => {
  it("runs a cycle at every close, prints the alerts, stops cleanly on Ctrl-C; the store holds what was printed", async () => {
    const dataDir = join(dirs, "data-1");
    // 40 market minutes before the close = 1.3 s of real time for the runner to start and check;
    // on a loaded machine the check can end after the close, and the countdown then names the next one.
    const runner = startRunner(closeOf(BUY) - 40 * 60_000, ["--data-dir", dataDir, "--pretty"]);
    await runner.waitFor("BNBUSDT 1h  next close 2026-02-08 11:00 UTC");
    expect(runner.output()).toContain(`data in ${join(dataDir, "dynamodb")}`);
    // At start: Binance and the watchlist checked, the latest signal of each pair, the accounts, the countdown.
    await runner.waitFor(/Next cycle at 2026-02-08 1[12]:00 UTC, in \d+ min/);
    expect(runner.output()).toMatch(/BNBUSDT 1h fibonacci-golden-zone: (HOLD|BUY|SELL) \(/);
    expect(runner.output()).toContain("account paper: not opened yet");
    await runner.waitFor("── ALERT BUY BNBUSDT 1h: 0.783 @ 638.13 USDT (paper)");
    await runner.waitFor(/BNBUSDT 1h: ok, candle closed 2026-02-08 12:00 UTC/); // the next close, a HOLD
    expect(await runner.stop()).toBe(0);
    expect(runner.output()).toContain("Stopped.");

    const status = await runCliAsync(
      "status",
      ["--config", configFile, "--data-dir", dataDir, "--json"],
      localEnv(),
    );
    expect(status.stderr).toBe("");
    const state = JSON.parse(status.stdout);
    expect(
      state.trades.map(
        (t: { side: string; quantity: string; price: string }) => `${t.side} ${t.quantity} @ ${t.price}`,
      ),
    ).toEqual(["BUY 0.783 @ 638.13"]);
    expect(state.account.balances).toEqual({ USDT: "9499.84455421", BNB: "0.783" });
    expect(state.positions).toMatchObject([
      { symbol: "BNBUSDT", timeframe: "1h", quantity: "0.783", stopLoss: "606.97" },
    ]);

    // A restart finds the account as it was, runs the close it missed while stopped (14:00; the
    // first runner stopped after 12:00 or 13:00), and goes on from there.
    const again = startRunner(closeOf(BUY + 4) - 30 * 60_000, ["--data-dir", dataDir, "--pretty"]);
    await again.waitFor(/BNBUSDT 1h: ok, candle closed 2026-02-08 15:00 UTC/);
    expect(again.output()).toMatch(
      /BNBUSDT 1h: the close of 2026-02-08 14:00 UTC was missed while stopped; run now:\n(.* INFO .*\n)?BNBUSDT 1h: ok, candle closed 2026-02-08 14:00 UTC/,
    );
    expect(again.output()).toMatch(/position: 0\.783 from 638\.13/);
    expect(again.output().match(/candle closed 2026-02-08 14:00 UTC/g)).toHaveLength(1);
    // A second runner on the same folder is refused, naming the first.
    const second = await runCliAsync(
      "start",
      ["--config", configFile, "--data-dir", dataDir, "--once"],
      localEnv(),
    );
    expect(second.status).not.toBe(0);
    expect(second.stderr).toMatch(
      /AlreadyRunningError: npm start is already running on .* \(pid \d+, since .+\); stop it first/,
    );
    expect(await again.stop()).toBe(0);
  }, 60_000);

  it("says clearly when Binance is unreachable and keeps running to try again at the next close", async () => {
    const runner = startRunner(closeOf(BUY) - 10 * 60_000, ["--memory", "--pretty"], {
      BINANCE_BASE_URL: closedPort,
      BINANCE_CALL_TIMEOUT_MS: "400",
    });
    await runner.waitFor(
      `Binance is unreachable at ${closedPort} (BINANCE_BASE_URL); nothing was written. Trying again at the next close.`,
    );
    await runner.waitFor(/1h: FAILED[\s\S]*1h: FAILED/); // and again at the next close
    expect(runner.output()).toMatch(/is unavailable \(ECONNREFUSED\)/);
    // One line per failed call, with its cause; the retries that led there are not shown.
    expect(runner.output()).not.toMatch(/WARN|retrying/);
    expect(await runner.stop()).toBe(0);
  }, 60_000);

  it("refuses to start on a watchlist symbol Binance does not list, naming it", async () => {
    const bad = join(dirs, "unknown-symbol.json");
    writeFileSync(
      bad,
      JSON.stringify({
        context: { tradingBot: { watchlist: [{ symbol: "NOPEUSDT", timeframes: ["1h"] }] } },
      }),
    );
    const run = await runCliAsync("start", ["--config", bad, "--memory", "--pretty"], localEnv());
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/NOPEUSDT: .*NOPEUSDT.*Fix the watchlist/);
  });

  it("leaves no data folder behind after a dry run", async () => {
    const dataDir = join(dirs, "dry-run-only");
    const run = await runCliAsync(
      "cycle",
      [
        "--config",
        configFile,
        "--data-dir",
        dataDir,
        "--symbol",
        "BNBUSDT",
        "--timeframe",
        "1h",
        "--dry-run",
      ],
      localEnv(),
    );
    expect(run.status).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("--once runs every pair now and exits non-zero when one failed", async () => {
    const ok = await runCliAsync(
      "start",
      ["--config", configFile, "--memory", "--once", "--dry-run", "--pretty"],
      localEnv(),
    );
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("BNBUSDT 1h (dry run): ok");
    expect(ok.stdout).toContain("entry:  BUY 0.783 @ 638.13");
    const down = await runCliAsync("start", ["--config", configFile, "--memory", "--once"], {
      ...localEnv(),
      BINANCE_BASE_URL: closedPort,
      BINANCE_CALL_TIMEOUT_MS: "300",
    });
    expect(down.status).toBe(1);
    expect(down.stdout).toContain("BNBUSDT 1h: FAILED — BinanceUnavailableError");
    // Three pairs down at once: each says it failed; that Binance is unreachable is said once.
    const threePairs = join(dirs, "three-pairs.json");
    const watchlist = [{ symbol: "BNBUSDT", timeframes: ["1h", "4h", "1d"] }];
    writeFileSync(threePairs, JSON.stringify({ context: { tradingBot: { watchlist } } }));
    const all = await runCliAsync("start", ["--config", threePairs, "--memory", "--once", "--pretty"], {
      ...localEnv(),
      BINANCE_BASE_URL: closedPort,
      BINANCE_CALL_TIMEOUT_MS: "300",
    });
    expect(all.stdout.match(/: FAILED — BinanceUnavailableError/g)).toHaveLength(3);
    expect(all.stdout.match(/Binance is unreachable at/g)).toHaveLength(1);
  }, 60_000);

  it("with several accounts: each pair once in the header with who trades it, results named, the start-up look with each entry's parameters", async () => {
    const twoAccounts = join(dirs, "two-accounts.json");
    const watchlist = [
      { symbol: "BNBUSDT", timeframes: ["1h"], account: "fib" },
      {
        symbol: "BNBUSDT",
        timeframes: ["1h"],
        strategy: "ma-distance",
        params: { maPeriod: 10 },
        account: "ma10",
      },
    ];
    writeFileSync(twoAccounts, JSON.stringify({ context: { tradingBot: { watchlist } } }));
    const runner = startRunner(closeOf(BUY) - 40 * 60_000, ["--config", twoAccounts, "--memory", "--pretty"]);
    await runner.waitFor(/Next cycle at 2026-02-08 1[12]:00 UTC/);
    const out = runner.output();
    expect(out).toContain("accounts fib, ma10, data in");
    expect(out.match(/BNBUSDT 1h {2}next close/g)).toHaveLength(1);
    expect(out).toContain("(fib, fibonacci-golden-zone; ma10, ma-distance)");
    expect(out).toMatch(/\[ma10, ma-distance\] BNBUSDT 1h ma-distance: \w+ \(Price [-\d.]+% from MA10/);
    expect(out).toMatch(/\[fib, fibonacci-golden-zone\] BNBUSDT 1h fibonacci-golden-zone: /);
    expect(await runner.stop()).toBe(0);
  }, 60_000);
});
