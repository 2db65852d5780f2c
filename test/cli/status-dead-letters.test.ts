import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCAL_TABLE, openLocalStore } from "../../cli/local/local-store.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { dynamoDbAccount } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

describe("npm run status and the alerts set aside", () => {
  it("lists each dead letter with when, what and why, in text and JSON", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "dead-letters-"));
    const store = await openLocalStore({ memory: false, dataDir });
    const at = Date.UTC(2026, 0, 5, 14, 0);
    try {
      const { repository, outbox } = dynamoDbAccount({
        client: createDocumentClient(store.clientConfig),
        tableName: LOCAL_TABLE,
      });
      await repository.openAccount("paper", dec("10000"), new Date(at), "USDT");
      await outbox.queueAlertOnce("paper", "FAILURE", "BNBUSDT", "1h", at, {
        id: "paper/BNBUSDT/1h/x/failure",
        subject: "FAILED BNBUSDT 1h cycle: BinanceApiError",
        message: "m",
        attributes: { event: "failure", symbol: "BNBUSDT", timeframe: "1h", action: "FAILED" },
      });
      const [queued] = await outbox.pendingAlerts("paper", 1);
      if (!queued) throw new Error("not queued");
      await outbox.setAsideAlert(
        "paper",
        queued,
        "AlertRefusedError: SNS refused alert: InvalidParameter",
        at,
      );
    } finally {
      await store.close();
    }
    const text = await runCliAsync("status", ["--data-dir", dataDir, "--trades", "0"], {});
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(
      "Alerts set aside, never sent (1; the AlertsNotSent alarm counted them):\n  2026-01-05 14:00 UTC  FAILED BNBUSDT 1h cycle: BinanceApiError: AlertRefusedError: SNS refused alert: InvalidParameter",
    );
    const json = await runCliAsync("status", ["--data-dir", dataDir, "--json"], {});
    expect(JSON.parse(json.stdout).deadLetters).toEqual([
      {
        id: "paper/BNBUSDT/1h/x/failure",
        subject: "FAILED BNBUSDT 1h cycle: BinanceApiError",
        queuedAt: expect.any(String),
        setAsideAt: new Date(at).toISOString(),
        attempts: 0,
        reason: "AlertRefusedError: SNS refused alert: InvalidParameter",
      },
    ]);
  }, 60_000);
});
