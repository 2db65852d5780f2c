import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinanceStandIn } from "../../cli/stand-ins/binance-stand-in.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { BUY, closeOf, hourlyCandles, T0 } from "../helpers/hourly-market.ts";
import { TestDynamoDb } from "../helpers/local-dynamodb.ts";
import { runCliAsync } from "../helpers/run-cli.ts";
import { SnsTestEndpoint } from "../helpers/sns-test-endpoint.ts";
import { commit, cycle, position } from "../helpers/trades.ts";

let server: BinanceStandIn;
const dirs = mkdtempSync(join(tmpdir(), "cycle-status-"));
const configFile = join(dirs, "cdk.json");

beforeAll(async () => {
  server = await BinanceStandIn.start();
  server.serve("BNBUSDT", "1h", hourlyCandles);
  writeFileSync(
    configFile,
    JSON.stringify({ context: { tradingBot: { watchlist: [{ symbol: "BNBUSDT", timeframes: ["1h"] }] } } }),
  );
});
afterAll(async () => server.close());

// A minute after the close of the BUY candle.
const localEnv = () => ({
  BINANCE_BASE_URL: server.url,
  TRADER_CLOCK_START: new Date(closeOf(BUY) + 60_000).toISOString(),
});

describe("npm run cycle and npm run status", () => {
  it("run one cycle now on the local store and show the account", async () => {
    const dataDir = join(dirs, "data-2");
    const cycle = await runCliAsync(
      "cycle",
      ["--config", configFile, "--data-dir", dataDir, "--symbol", "BNBUSDT", "--timeframe", "1h"],
      localEnv(),
    );
    expect(cycle.status).toBe(0);
    expect(cycle.stdout).toContain("BNBUSDT 1h: ok, candle closed 2026-02-08 11:00 UTC, close 638.13");
    expect(cycle.stdout).toContain("entry:  BUY 0.783 @ 638.13 (entry), fee 0.49965579");
    expect(cycle.stderr).toContain("── ALERT BUY BNBUSDT 1h");
    const again = await runCliAsync(
      "cycle",
      ["--config", configFile, "--data-dir", dataDir, "--symbol", "BNBUSDT", "--timeframe", "1h", "--json"],
      localEnv(),
    );
    expect(JSON.parse(again.stdout).status).toBe("duplicate");
    const status = await runCliAsync("status", ["--config", configFile, "--data-dir", dataDir], localEnv());
    expect(status.status).toBe(0);
    expect(status.stdout).toContain("Balances: 9499.84455421 USDT, 0.783 BNB");
    expect(status.stdout).toMatch(
      /BNBUSDT 1h {2}0\.783 @ 638\.13 since the candle closed 2026-02-08 11:00 UTC {2}stop 606\.97 {2}TP1 760\.65 {2}TP2 870\.1 {2}last 638\.13 \(binance\) {2}unrealised \+0\.00 USDT/,
    );
    // One time convention: the trade at its candle's close, as the cycle and its alert said it.
    expect(status.stdout).toContain(
      "2026-02-08 11:00 UTC  BUY  BNBUSDT 1h  0.783 @ 638.13  fee 0.49965579  entry",
    );
    expect(status.stdout).toContain("newest first (each at its candle's close, UTC):");
    expect(status.stdout).toMatch(/^Account paper, opened \d{4}-\d\d-\d\d \d\d:\d\d UTC with 10000 USDT$/m);
    const json = JSON.parse(
      (await runCliAsync("status", ["--config", configFile, "--data-dir", dataDir, "--json"], localEnv()))
        .stdout,
    );
    // In JSON too, the fill and the entry at their candle's close (the open kept as candleTime / entryTime).
    expect(json.trades[0]).toMatchObject({
      time: "2026-02-08T11:00:00.000Z",
      candleTime: "2026-02-08T10:00:00.000Z",
    });
    expect(json.positions[0]).toMatchObject({ entryClose: "2026-02-08T11:00:00.000Z" });
  }, 30_000);

  it.each([
    [["--symbol", "BNBUSDT", "--timeframe", "5h"], "--timeframe must be one of"],
    [["--symbol", "BNBUSDT"], "--timeframe is required"],
    [
      ["--symbol", "BNBUSDT", "--timeframe", "1h", "--dryrun"],
      "Error: unknown option --dryrun (did you mean --dry-run?); see --help",
    ],
    [["--symbol", "BNB/USDT", "--timeframe", "1h"], "--symbol must be a Binance symbol"],
  ])("refuse bad arguments with a clear message, writing nothing (%#)", async (args, message) => {
    const dataDir = join(dirs, `bad-${args.length}-${message.length}`);
    const run = await runCliAsync(
      "cycle",
      ["--config", configFile, "--data-dir", dataDir, ...args],
      localEnv(),
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("send alerts on to SNS when ALERT_TOPIC_ARN is set, and read a deployed table with --table", async () => {
    const sns = await SnsTestEndpoint.start();
    const db = await TestDynamoDb.start();
    try {
      const aws = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };
      const run = await runCliAsync(
        "cycle",
        ["--config", configFile, "--memory", "--symbol", "BNBUSDT", "--timeframe", "1h"],
        {
          ...localEnv(),
          ...aws,
          ALERT_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:alerts",
          AWS_ENDPOINT_URL_SNS: sns.url,
        },
      );
      expect(run.status).toBe(0);
      expect(sns.published.map((m) => [m.topicArn, m.subject])).toEqual([
        ["arn:aws:sns:us-east-1:123456789012:alerts", "BUY BNBUSDT 1h: 0.783 @ 638.13 USDT (paper)"],
      ]);

      const { repository, tableName } = await db.repository();
      await repository.openAccount("deployed", dec("2500"), new Date(T0), "USDT");
      // A position whose pair (SOLUSDT 4h) is not in this watchlist (BNBUSDT 1h).
      await repository.commitCycle(
        commit({
          cycle: cycle({ accountId: "deployed", symbol: "SOLUSDT" }),
          position: { kind: "put", position: position({ symbol: "SOLUSDT", baseAsset: "SOL" }) },
        }),
      );
      const status = await runCliAsync(
        "status",
        ["--config", configFile, "--table", tableName, "--account", "deployed", "--json"],
        {
          ...localEnv(),
          ...aws,
          AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
        },
      );
      expect(status.stderr).toBe("");
      expect(JSON.parse(status.stdout)).toMatchObject({
        account: { id: "deployed", balances: { USDT: "2500" } },
        positions: [{ symbol: "SOLUSDT", timeframe: "4h", unmanaged: true }],
        trades: [],
      });
      const text = await runCliAsync(
        "status",
        ["--config", configFile, "--table", tableName, "--account", "deployed"],
        {
          ...localEnv(),
          ...aws,
          AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
        },
      );
      expect(text.stdout).toContain("SOLUSDT 4h");
      expect(text.stdout).toContain("not in the watchlist: nothing manages its stop and targets");
    } finally {
      await sns.close();
      await db.close();
    }
  }, 30_000);

  it("status says when there is no account yet", async () => {
    const run = await runCliAsync("status", ["--config", configFile, "--memory"], localEnv());
    expect(run.status).toBe(2); // as npm run report answers it
    expect(run.stderr).toMatch(/^Error: no paper account "paper"/); // a mistake of the user's: no class name
    // It names the accounts the configuration has, so a wrong --account is a line away from the right one.
    expect(run.stderr).toContain("the configuration's accounts are paper (--account <id>)");
    expect(run.stderr).not.toContain("    at ");
  });
});
