import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDependencies } from "../../functions/trading-cycle/dependencies.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

const SECRET = "s3cr3t-t0ken";
const ENV = {
  TABLE_NAME: "accounts",
  ALERT_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:alerts",
  TRADING_BOT: '{"watchlist":[{"symbol":"BNBUSDT","timeframes":["4h"]}]}',
  AWS_REGION: "us-east-1",
};

describe("a Binance URL with credentials", () => {
  it.each([`http://user:${SECRET}@127.0.0.1:9000`, `https://${SECRET}@data-api.binance.vision`])(
    "stops the function's cold start without repeating the secret (%#)",
    (url) => {
      let error: Error | undefined;
      try {
        createDependencies({ ...ENV, BINANCE_BASE_URL: url });
      } catch (e) {
        error = e as Error;
      }
      expect(error?.name).toBe("ConfigurationError");
      expect(error?.message).toContain("BINANCE_BASE_URL must not hold credentials");
      expect(`${error?.stack} ${String(error)}`).not.toContain(SECRET);
    },
  );

  it("stops a local cycle before anything runs, and nothing it prints holds the secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "secrets-"));
    const config = join(dir, "cdk.json");
    writeFileSync(
      config,
      JSON.stringify({ context: { tradingBot: { watchlist: [{ symbol: "BNBUSDT", timeframes: ["4h"] }] } } }),
    );
    const run = await runCliAsync(
      "cycle",
      ["--config", config, "--memory", "--symbol", "BNBUSDT", "--timeframe", "4h"],
      {
        BINANCE_BASE_URL: `http://user:${SECRET}@127.0.0.1:9`,
      },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("BINANCE_BASE_URL must not hold credentials");
    expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET);
  });
});
