import { describe, expect, it } from "vitest";
import { progressBar, timeLeft } from "../../cli/progress.ts";

describe("the progress bar's time left", () => {
  it("is the pace so far times what remains, in seconds, then minutes from two minutes on", () => {
    expect(timeLeft(0, 10, 100, 2_000)).toBe("  ~18 s left"); // 0.2 s a step, 90 to go
    expect(timeLeft(0, 1, 1000, 1_000)).toBe("  ~17 min left"); // 999 s
    expect(timeLeft(0, 0, 100, 5_000)).toBe("");
    expect(timeLeft(0, 100, 100, 5_000)).toBe("");
  });

  it("ends a bar stopped part-way with a newline, so the next output starts a line of its own", () => {
    const written: string[] = [];
    const stream = { isTTY: true, write: (t: string) => written.push(t) } as unknown as NodeJS.WriteStream;
    const bar = progressBar("Testing", stream);
    bar.update(3, 10);
    bar.end();
    expect(written.at(-1)).toBe("\n");
    bar.end();
    expect(written.filter((t) => t === "\n")).toHaveLength(1);
    const finished = progressBar("Testing", stream);
    finished.update(10, 10);
    const before = written.length;
    finished.end();
    expect(written.length).toBe(before); // a finished bar ended its line already
  });
});
