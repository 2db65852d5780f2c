import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../shared/adapters/config/settings.ts";
import { scheduledEvent } from "../../shared/adapters/config/watchlist.ts";

const DEPLOY = readFileSync("docs/deploy.md", "utf8").replace(/\n/g, " ");

describe("docs/deploy.md names the fields the schedule rules send", () => {
  it.each([
    ["a trading pair", { symbol: "BNBUSDT", timeframes: ["4h"] }],
    [
      "an alert-only pair",
      { symbol: "BNBUSDT", timeframes: ["4h"], strategy: "ma-distance", mode: "signals" },
    ],
  ])("%s", (_, entry) => {
    const [pair] = parseSettings({ watchlist: [entry] }).pairs;
    const fields = [...Object.keys(scheduledEvent(pair as never)), "scheduledTime"];
    const quoted = fields.map((f) => `"${f}"`);
    const documented = DEPLOY.match(/`\{"symbol", "timeframe"[^`]*\}`/g) ?? [];
    expect(
      documented.some(
        (d) =>
          quoted.every((q) => d.includes(q)) &&
          (d.match(/"[a-zA-Z]+"/g) ?? []).filter((k) => !k.startsWith('"signals')).length === fields.length,
      ),
    ).toBe(true);
  });
});
