import { describe, expect, it } from "vitest";
import { failureAlert } from "../../shared/application/alerts/alert-messages.ts";

const alertFor = (type: string, retryable: boolean) =>
  failureAlert("paper", "BNBUSDT", "1h", Date.UTC(2026, 0, 5, 13), Date.UTC(2026, 0, 5, 14), {
    type,
    message: "m",
    retryable,
  }).message;

describe("a failure alert says what was written", () => {
  it("after a store failure, that the commit may have gone through (as after a deadline), not 'nothing was written'", () => {
    const text = alertFor("RepositoryUnavailableError", true);
    expect(text).toContain("The store failed during the cycle: its commit may have gone through.");
    expect(text).not.toContain("Nothing was written");
    expect(alertFor("DeadlineExceededError", true)).toContain("if its commit went through");
    expect(alertFor("BinanceUnavailableError", true)).toContain("Nothing was written for this candle.");
  });
});
