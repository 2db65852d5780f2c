import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { LOCAL_CREDENTIALS, TestDynamoDb } from "../helpers/local-dynamodb.ts";
import { runCliAsync } from "../helpers/run-cli.ts";
import { commit, cycle, position, T0, trade } from "../helpers/trades.ts";

let db: TestDynamoDb;
let repository: DynamoDbAccountRepository;
let tableName: string;
const dir = mkdtempSync(join(tmpdir(), "leaderboard-"));
const configFile = join(dir, "cdk.json");

beforeAll(async () => {
  db = await TestDynamoDb.start();
  ({ repository, tableName } = await db.repository());
  writeFileSync(
    configFile,
    JSON.stringify({
      context: {
        tradingBot: {
          watchlist: [
            { symbol: "BNBUSDT", timeframes: ["4h"] },
            { symbol: "BNBUSDT", timeframes: ["4h"], strategy: "ma-distance", account: "ma" },
            { symbol: "BNBUSDT", timeframes: ["4h"], strategy: "dca", account: "never-ran" },
          ],
        },
      },
    }),
  );
  // "paper" bought 1 BNB at 600 and sold it at 660: +60 less fees. "ma" holds 1 BNB bought at 600, now at 540.
  for (const account of ["paper", "ma"])
    await repository.openAccount(account, dec("10000"), new Date(T0), "USDT");
  const H4 = 4 * 3_600_000;
  const outcome = (equity: string) => ({ status: "ok", account: { usdtFree: "0", equity } }) as never;
  await repository.commitCycle(
    commit({
      cycle: cycle({ accountId: "paper", outcome: outcome("9999.4") }),
      trades: [trade({ side: "BUY", quantity: "1", price: "600" })],
      position: {
        kind: "put",
        position: position({ quantity: dec("1"), entryPrice: dec("600"), markPrice: dec("600") }),
      },
    }),
  );
  await repository.commitCycle(
    commit({
      cycle: cycle({
        accountId: "paper",
        candleTime: T0 + H4,
        recordedAt: new Date(T0 + 2 * H4).toISOString(),
        outcome: outcome("10058.74"),
      }),
      expectedVersion: 1,
      trades: [
        trade({ side: "SELL", quantity: "1", price: "660", candleTime: T0 + H4, realizedPnl: dec("59.34") }),
      ],
      position: { kind: "delete", symbol: "BNBUSDT", timeframe: "4h", previousVersion: 1 },
    }),
  );
  await repository.commitCycle(
    commit({
      cycle: cycle({ accountId: "ma", outcome: outcome("9939.4") }),
      trades: [trade({ side: "BUY", quantity: "1", price: "600" })],
      position: {
        kind: "put",
        position: position({ quantity: dec("1"), entryPrice: dec("600"), markPrice: dec("540") }),
      },
    }),
  );
});
afterAll(() => db.close());

describe("npm run status -- --leaderboard", () => {
  it("ranks every account of the watchlist by return, with its strategy, drawdown, trades and exposure", async () => {
    const env = {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    };
    const args = ["--config", configFile, "--table", tableName, "--leaderboard"];
    const run = await runCliAsync("status", [...args, "--json"], env);
    expect(run.stderr).toBe("");
    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => [r.account, r.strategies, r.trades])).toEqual([
      ["paper", ["fibonacci-golden-zone"], 1],
      ["ma", ["ma-distance"], 1],
    ]);
    // paper: 10000 − 600.6 + 659.34 = 10058.74; ma: 10000 − 600.6 + 1 × 540 = 9939.4.
    expect(rows.map((r) => [r.equity, r.returnPct, r.winRatePct, r.openExposurePct])).toEqual([
      ["10058.74000000", 0.59, 100, 0],
      ["9939.40000000", -0.61, null, 5.43],
    ]);
    expect(rows[1]?.maxDrawdownPct).toBe(0.61);
    const text = await runCliAsync("status", args, env);
    expect(text.stdout).toMatch(/1\s+paper\s+fibonacci-golden-zone\s+10058\.74\s+\+0\.59 %/);
    expect(text.stdout).toMatch(/2\s+ma\s+ma-distance\s+9939\.40\s+-0\.61 %/);
  }, 30_000);
});

describe("npm run status -- --trades 0", () => {
  it("says the trades were not listed rather than that there are none", async () => {
    const run = await runCliAsync("status", ["--config", configFile, "--table", tableName, "--trades", "0"], {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      BINANCE_BASE_URL: "http://127.0.0.1:9",
    });
    expect(run.stdout).toContain("Trades: not listed (--trades 0)");
    expect(run.stdout).not.toContain("none yet");
  }, 30_000);
});
