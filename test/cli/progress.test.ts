import { describe, expect, it } from "vitest";
import { timeLeft } from "../../cli/progress.ts";

describe("the progress bar's time left", () => {
  it("is the pace so far times what remains, in seconds, then minutes from two minutes on", () => {
    expect(timeLeft(0, 10, 100, 2_000)).toBe("  ~18 s left"); // 0.2 s a step, 90 to go
    expect(timeLeft(0, 1, 1000, 1_000)).toBe("  ~17 min left"); // 999 s
    expect(timeLeft(0, 0, 100, 5_000)).toBe("");
    expect(timeLeft(0, 100, 100, 5_000)).toBe("");
  });
});
