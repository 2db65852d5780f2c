import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/run-cli.ts";

describe("a command whose reader stops reading (npm run signals … | head)", () => {
  it("ends quietly, exit 0, no EPIPE stack trace", async () => {
    const child = spawn(
      process.execPath,
      ["cli/signals.ts", "--input", "test/fixtures/market/BNBUSDT-4h.csv"],
      { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Like `head -1`: read the first chunk, then close the pipe.
    const first = await new Promise<string>((resolve) =>
      child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString())),
    );
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(first).toMatch(/^\{"t":/);
    expect(stderr).not.toContain("EPIPE");
    expect(stderr).not.toContain("    at ");
    expect(code).toBe(0);
  }, 60_000);
});
