import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CODE_VERSION, windowDigest } from "../../../shared/application/cycle/index.ts";
import { hourlyCandles } from "../../helpers/hourly-market.ts";

describe("a cycle's basis", () => {
  it("names the code by the package's name and version, so a release that changes decisions shows as 'the code changed'", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(CODE_VERSION).toBe(`${pkg.name}@${pkg.version}`);
  });

  it("digests a window so that any change of any candle's open time or OHLCV changes it", () => {
    const window = hourlyCandles.slice(0, 300);
    const digest = windowDigest(window);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(windowDigest([...window])).toBe(digest);
    for (const field of ["openTime", "open", "high", "low", "close", "volume"] as const) {
      const changed = window.map((c, i) => (i === 150 ? { ...c, [field]: c[field] + 1 } : c));
      expect(windowDigest(changed)).not.toBe(digest);
    }
    expect(windowDigest(window.slice(1))).not.toBe(digest);
  });
});
