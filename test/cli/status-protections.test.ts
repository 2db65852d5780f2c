import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCAL_TABLE, openLocalStore } from "../../cli/local/local-store.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { dynamoDbAccount } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { runCliAsync } from "../helpers/run-cli.ts";
import { commit, T0 } from "../helpers/trades.ts";

const H = 3_600_000;

describe("npm run status and the protections", () => {
  it("lists the protections in force at the time it runs, in text and JSON, and not one whose time is up", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "protections-"));
    const store = await openLocalStore({ memory: false, dataDir });
    const lock = (protection: "maxDrawdown" | "cooldown", scope: string, until: number) => ({
      protection,
      scope,
      since: T0 + 4 * H,
      until,
      reason: `${protection} engaged for the test`,
    });
    try {
      const { repository } = dynamoDbAccount({
        client: createDocumentClient(store.clientConfig),
        tableName: LOCAL_TABLE,
      });
      await repository.openAccount("paper", dec("10000"), new Date(T0), "USDT");
      await repository.commitCycle(
        commit({
          risk: {
            exits: [],
            marks: [],
            keepMs: 0,
            locks: [lock("maxDrawdown", "account", T0 + 28 * H), lock("cooldown", "BNBUSDT 4h", T0 + 8 * H)],
          },
        }),
      );
    } finally {
      await store.close();
    }
    // Ten hours after the candle's open: the cooldown ran out at T0 + 8 h, the drawdown pause holds until T0 + 28 h.
    const env = {
      TRADER_CLOCK_START: new Date(T0 + 10 * H).toISOString(),
      BINANCE_BASE_URL: "http://127.0.0.1:9",
    };
    const text = await runCliAsync("status", ["--data-dir", dataDir, "--trades", "0"], env);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(
      "Protections in force (no new entries; exits keep running):\n  the whole account until 2025-05-19 20:00 UTC: maxDrawdown engaged for the test\n",
    );
    expect(text.stdout).not.toContain("cooldown engaged");
    const json = await runCliAsync("status", ["--data-dir", dataDir, "--json", "--trades", "0"], env);
    expect(JSON.parse(json.stdout).protections).toEqual([
      {
        protection: "maxDrawdown",
        scope: "account",
        since: "2025-05-18T20:00:00.000Z",
        until: "2025-05-19T20:00:00.000Z",
        reason: "maxDrawdown engaged for the test",
      },
    ]);
  }, 60_000);
});
