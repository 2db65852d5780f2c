import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCAL_TABLE, openLocalStore } from "../../cli/local/local-store.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { dynamoDbAccount } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { runCliAsync } from "../helpers/run-cli.ts";
import { commit, cycle, T0, trade } from "../helpers/trades.ts";

const H4 = 4 * 3_600_000;

describe("npm run status's per-pair summary", () => {
  it("counts each pair's round trips, won and lost, with their PnL after every fee, in text and JSON", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pairs-"));
    const store = await openLocalStore({ memory: false, dataDir });
    try {
      const { repository } = dynamoDbAccount({
        client: createDocumentClient(store.clientConfig),
        tableName: LOCAL_TABLE,
      });
      await repository.openAccount("paper", dec("10000"), new Date(T0), "USDT");
      let version = 0;
      const fills = async (k: number, trades: ReturnType<typeof trade>[], symbol = "BNBUSDT") => {
        await repository.commitCycle(
          commit({ cycle: cycle({ symbol, candleTime: T0 + k * H4 }), trades, expectedVersion: version++ }),
        );
      };
      // BNBUSDT 4h: a win (+10 − fees) and a loss (−5 − fees); ETHUSDT 4h: one still open.
      await fills(0, [trade({ side: "BUY", quantity: "1", price: "100", candleTime: T0 })]);
      await fills(1, [
        trade({
          side: "SELL",
          quantity: "1",
          price: "110",
          reason: "tp2",
          candleTime: T0 + H4,
          realizedPnl: dec("9.89"),
        }),
      ]);
      await fills(2, [trade({ side: "BUY", quantity: "1", price: "100", candleTime: T0 + 2 * H4 })]);
      await fills(3, [
        trade({
          side: "SELL",
          quantity: "1",
          price: "95",
          reason: "stop",
          candleTime: T0 + 3 * H4,
          realizedPnl: dec("-5.095"),
        }),
      ]);
      await fills(
        4,
        [
          trade({
            side: "BUY",
            quantity: "0.5",
            price: "3000",
            symbol: "ETHUSDT",
            baseAsset: "ETH",
            candleTime: T0 + 4 * H4,
          }),
        ],
        "ETHUSDT",
      );
    } finally {
      await store.close();
    }
    const env = { BINANCE_BASE_URL: "http://127.0.0.1:9" };
    const text = await runCliAsync("status", ["--data-dir", dataDir, "--trades", "0"], env);
    expect(text.status).toBe(0);
    // Fees: 0.1 + 0.11 and 0.1 + 0.095; PnL (110 − 100) − 0.21 = 9.79, (95 − 100) − 0.195 = −5.195.
    expect(text.stdout).toContain(
      [
        "Per pair (every round trip in the ledger; PnL of the closed ones, after every fee):",
        "  BNBUSDT 4h  2 closed (1 won, 1 lost)          +4.60 USDT  fees 0.41",
        "  ETHUSDT 4h  0 closed (0 won, 0 lost), 1 open  +0.00 USDT  fees 0.00",
      ].join("\n"),
    );
    const json = await runCliAsync("status", ["--data-dir", dataDir, "--json", "--trades", "0"], env);
    expect(JSON.parse(json.stdout).pairs).toEqual([
      { pair: "BNBUSDT 4h", closed: 2, open: 0, won: 1, lost: 1, realizedPnl: "4.595", fees: "0.405" },
      { pair: "ETHUSDT 4h", closed: 0, open: 1, won: 0, lost: 0, realizedPnl: "0", fees: "0" },
    ]);
  }, 60_000);
});
