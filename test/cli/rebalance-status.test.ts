import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinanceStandIn, BNBUSDT_INFO } from "../../cli/stand-ins/binance-stand-in.ts";
import { PairsMarketData } from "../../shared/adapters/memory/pairs-market-data.ts";
import { silentLogger } from "../../shared/application/ports/logger.ts";
import { noMetrics } from "../../shared/application/ports/metrics.ts";
import { Rebalancer } from "../../shared/application/rebalance/rebalancer.ts";
import { minuteUtc } from "../../shared/domain/market/utc.ts";
import { LOCAL_CREDENTIALS, TestDynamoDb } from "../helpers/local-dynamodb.ts";
import { basket, twoLegs } from "../helpers/rebalance-basket.ts";
import { runCliAsync } from "../helpers/run-cli.ts";
import { commit, cycle, trade } from "../helpers/trades.ts";

const DAY = 86_400_000;
let db: TestDynamoDb;
let tableName: string;
let stores: Awaited<ReturnType<TestDynamoDb["repository"]>>;
let firstRun = 0;
const dir = mkdtempSync(join(tmpdir(), "rebalance-status-"));
const configFile = join(dir, "cdk.json");
let env: Record<string, string>;
let binance: BinanceStandIn;

beforeAll(async () => {
  db = await TestDynamoDb.start();
  stores = await db.repository();
  tableName = stores.tableName;
  writeFileSync(
    configFile,
    JSON.stringify({
      context: {
        tradingBot: {
          rebalancing: [
            {
              accountId: "basket",
              symbols: ["BNBUSDT", "ETHUSDT"],
              weighting: "fixed",
              weights: { BNBUSDT: 40, ETHUSDT: 30, cash: 30 },
            },
          ],
        },
      },
    }),
  );
  const pairs = twoLegs();
  const market = new PairsMarketData();
  for (const p of pairs) market.add(p.symbol, p.timeframe, p.candles, p.filters);
  const first = (pairs[0]?.candles[100]?.openTime ?? 0) + DAY;
  firstRun = first - DAY;
  let now = first;
  const rebalancer = new Rebalancer({
    market,
    repository: stores.repository,
    outbox: stores.outbox,
    alerts: { publish: async () => {} },
    logger: silentLogger,
    metrics: noMetrics,
    now: () => now,
    baskets: [basket()],
    quoteAsset: "USDT",
    maxEventDelayMs: 0,
  });
  for (let close = first; close < first + 20 * DAY; close += DAY) {
    now = close;
    const result = await rebalancer.run({ accountId: "basket", scheduledTime: close, dryRun: false });
    if (result.status !== "ok") throw new Error(JSON.stringify(result.error));
  }
  // Binance serves the legs' candles the runs traded on: the report's path check backtests them.
  binance = await BinanceStandIn.start();
  binance.serve("BNBUSDT", "1d", [...(pairs[0]?.candles ?? [])]);
  binance.serve("ETHUSDT", "1d", [...(pairs[1]?.candles ?? [])], {
    ...BNBUSDT_INFO,
    baseAsset: "ETH",
    stepSize: "0.00010000",
    minQty: "0.00010000",
  });
  env = {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    BINANCE_BASE_URL: binance.url,
  };
}, 60_000);
afterAll(async () => {
  await binance.close();
  await db.close();
});

describe("npm run status with a rebalancing account", () => {
  it("shows its holdings with their weights now and their targets", async () => {
    const run = await runCliAsync(
      "status",
      ["--config", configFile, "--table", tableName, "--account", "basket"],
      env,
    );
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(
      "Rebalancing account basket: BNBUSDT, ETHUSDT (fixed), every 1d close, band 0 points",
    );
    expect(run.stdout).toMatch(/ {2}BNBUSDT: [\d.]+ @ [\d.]+, \d\d\.\d\d % of equity \(target 40\.00 %\)/);
    expect(run.stdout).toMatch(/ {2}ETHUSDT: [\d.]+ @ [\d.]+, \d\d\.\d\d % of equity \(target 30\.00 %\)/);
    expect(run.stdout).toMatch(
      /Valued at the closes of \d{4}-\d\d-\d\d 00:00 UTC \(its last scheduled run\): equity [\d,.]+ USDT, cash [\d,.]+ USDT/,
    );
    expect(run.stdout).toContain("20 rebalance(s) recorded of 20 scheduled run(s) kept");
    const trades = await runCliAsync(
      "status",
      ["--config", configFile, "--table", tableName, "--account", "basket", "--trades", "5"],
      env,
    );
    expect(trades.status).toBe(2);
    const digest = await runCliAsync(
      "status",
      ["--config", configFile, "--table", tableName, "--account", "basket", "--digest"],
      env,
    );
    // Its digest values the holdings as status does (the same equity), not the cash alone.
    expect(digest.status).toBe(0);
    const equity = /equity ([\d,.]+) USDT, cash/.exec(run.stdout)?.[1]?.replaceAll(",", "");
    expect(digest.stdout).toContain(`Rebalancing account basket, `);
    expect(digest.stdout).toMatch(new RegExp(`\nEquity: ${equity?.replace(".", "\\.")} USDT \\(`));
    expect(trades.stderr.trim()).toBe(
      "Error: --trades is for a trading account; basket rebalances (npm run report -- --account basket lists its runs)",
    );
  }, 30_000);

  it("ranks it on the leaderboard with its weights", async () => {
    const run = await runCliAsync(
      "status",
      ["--config", configFile, "--table", tableName, "--leaderboard", "--json"],
      env,
    );
    const rows = JSON.parse(run.stdout) as {
      account: string;
      strategies: string[];
      trades: number;
      weights?: string;
    }[];
    const row = rows.find((r) => r.account === "basket");
    expect(row?.strategies).toEqual(["rebalance (fixed)"]);
    expect(row?.trades).toBeGreaterThan(20);
    expect(row?.weights).toMatch(/^BNBUSDT \d+\.\d\d % → 40\.00 %, ETHUSDT \d+\.\d\d % → 30\.00 %$/);
    const text = await runCliAsync(
      "status",
      ["--config", configFile, "--table", tableName, "--leaderboard"],
      env,
    );
    expect(text.stdout).toContain("Weights at each rebalancing account's last rebalance → target:");
  }, 30_000);
});

describe("npm run report with a rebalancing account", () => {
  // Binance's candles are cached in a data folder of the test's own.
  const args = (...more: string[]) => [
    "--config",
    configFile,
    "--table",
    tableName,
    "--account",
    "basket",
    "--data-dir",
    join(dir, "data"),
    ...more,
  ];
  const report = () => runCliAsync("report", args(), env);

  it("replays every recorded run from the balances it had: all equal to the ledger, exit 0", async () => {
    const run = await report();
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      "Rebalancing account basket: 20 recorded run(s) replayed from the balances each had",
    );
    expect(run.stdout).toContain(
      "equal to the ledger: 20; different: 0; fills no recorded run accounts for: 0",
    );
    expect(run.stdout).toMatch(
      /\n {2}last run: \d{4}-\d\d-\d\d 00:00 UTC; scheduled times between the first and the last run that no run decided: 0\n/,
    );
    // Without a gap, the backtest on the same candles is the account, to the cent.
    expect(run.stdout).toMatch(
      /\n {2}path: the basket backtested without a gap from \d{4}-\d\d-\d\d 00:00 UTC to \d{4}-\d\d-\d\d 00:00 UTC on the candles Binance serves now: equity ([\d.]+) USDT; the account \1 USDT \(\+0\.00\), both at the closes of the last run\n/,
    );
    expect(run.stdout).toContain(
      "  runs the backtest decided otherwise: 0; missed times at which the backtest traded: 0\n",
    );
    const json = JSON.parse((await runCliAsync("report", args("--json"), env)).stdout);
    expect(json.path).toMatchObject({ difference: "0", differentRuns: 0, tradedWhereMissed: 0 });
    expect(json.path.liveEquity).toBe(json.path.backtestEquity);
  }, 30_000);

  it("says the path was not compared when Binance cannot be reached; the replay stands, exit 0", async () => {
    const offline = ["--data-dir", join(dir, "offline"), "--config", configFile, "--table", tableName];
    const run = await runCliAsync("report", [...offline, "--account", "basket"], {
      ...env,
      BINANCE_BASE_URL: "http://127.0.0.1:9",
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("equal to the ledger: 20; different: 0;");
    expect(run.stdout).toMatch(/\n {2}path: not compared: .*127\.0\.0\.1:9.*\n/);
  }, 60_000);

  it("refuses --html and --fills, which are for a trading account's report", async () => {
    const run = await runCliAsync("report", args("--html", "page.html"), env);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      "Error: --html is for a trading account's report, not a rebalancing account's (basket)",
    );
  }, 30_000);

  it("names a fill the runs did not decide, exit 1", async () => {
    const state = await stores.repository.loadState("basket");
    const at = firstRun + 5 * DAY;
    await stores.repository.commitCycle(
      commit({
        cycle: cycle({ accountId: "basket", symbol: "BNBUSDT", timeframe: "1d", candleTime: at }),
        expectedVersion: state?.account.version ?? 0,
        trades: [
          trade({
            side: "BUY",
            quantity: "0.001",
            price: "400",
            timeframe: "1d",
            candleTime: at,
            sequence: 7,
            reason: "rebalance",
          }),
        ],
      }),
    );
    const run = await report();
    expect(run.status).toBe(1);
    // Written after the fact, the fill also moved the balances every later run is replayed from: those differ too.
    expect(run.stdout).toContain("equal to the ledger: 5; different: 15;");
    expect(run.stdout).toContain(`at the close of ${minuteUtc(at + DAY)}:`);
    expect(run.stdout).toContain("live:     BUY 0.001 BNBUSDT @ 400 fee 0.0004");
    // The path: the live runs decided as the backtest did (the fill came after them); the fill is the difference.
    expect(run.stdout).toContain(
      "  runs the backtest decided otherwise: 0; missed times at which the backtest traded: 0\n  the difference comes from: 15 run(s) whose fills in the ledger are not what they decided (below)\n",
    );
  }, 30_000);
});
