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

  it("still says what to check when AWS itself cannot be reached", async () => {
    const error = new Error("getaddrinfo ENOTFOUND dynamodb.eu-central-1.amazonaws.com");
    expect(await stderrOf(error)).toContain("AWS: AWS cannot be reached from here");
  });
});
