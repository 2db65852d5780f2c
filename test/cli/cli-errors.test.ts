import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../cli/cli-errors.ts";
import { BinanceUnavailableError } from "../../shared/adapters/binance/binance-errors.ts";

describe("a CLI's error on stderr", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = 0;
  });

  const stderrOf = async (error: Error) => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    await runCli(() => {
      throw error;
    });
    return written.join("");
  };

  it("does not blame AWS for Binance's own ENOTFOUND", async () => {
    const text = await stderrOf(
      new BinanceUnavailableError(
        "Binance cannot be reached at https://x.invalid (getaddrinfo ENOTFOUND x.invalid)",
      ),
    );
    expect(text).toContain("ENOTFOUND");
    expect(text).not.toContain("AWS");
    expect(process.exitCode).toBe(1);
  });

  it("still says what to check when an AWS call could not reach AWS (the SDK's error, marked with $metadata)", async () => {
    const sdk = Object.assign(new Error("getaddrinfo ENOTFOUND dynamodb.eu-central-1.amazonaws.com"), {
      $metadata: { attempts: 3 },
    });
    expect(await stderrOf(new Error("DynamoDB table t: could not read", { cause: sdk }))).toContain(
      "AWS: AWS cannot be reached from here",
    );
  });

  it("gives advice after the call that failed, not words in a message: a network error outside AWS is not blamed on AWS", async () => {
    const text = await stderrOf(
      new Error(
        "no exchange filters for BNBUSDT: exchangeInfo could not be read (getaddrinfo ENOTFOUND x.invalid)",
      ),
    );
    expect(text).toContain("ENOTFOUND");
    expect(text).not.toContain("AWS");
  });

  it("backtest without filters or network: one line about Binance, none about AWS (a real run)", async () => {
    const { runCliAsync } = await import("../helpers/run-cli.ts");
    const run = await runCliAsync(
      "backtest",
      [
        "--symbol",
        "BNBUSDT",
        "--timeframe",
        "4h",
        "--csv",
        "test/fixtures/market/BNBUSDT-4h.csv",
        "--data-dir",
        "/tmp/no-filters-here",
      ],
      { BINANCE_BASE_URL: "http://127.0.0.1:9" },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^Error: no exchange filters for BNBUSDT: Binance's exchangeInfo could not be read/,
    );
    expect(run.stderr).not.toContain("AWS");
  }, 30_000);
});
