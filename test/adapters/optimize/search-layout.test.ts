import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  batchResultKey,
  dataSizeProblem,
  RESEARCH_LIMITS,
  searchKeys,
} from "../../../shared/adapters/optimize/search-layout.ts";
import { fixtureCandles } from "../../helpers/fixtures.ts";

describe("a search's files in the research bucket", () => {
  it("keeps a search under its own folder, each batch's outcome named by its first setting's place", () => {
    const keys = searchKeys("2026-12-03T13-00-00-000Z-a1b2c3");
    expect(keys).toEqual({
      prefix: "searches/2026-12-03T13-00-00-000Z-a1b2c3/",
      dataKey: "searches/2026-12-03T13-00-00-000Z-a1b2c3/data.json",
      settingsKey: "searches/2026-12-03T13-00-00-000Z-a1b2c3/settings.json",
      resultsPrefix: "searches/2026-12-03T13-00-00-000Z-a1b2c3/results/",
    });
    // Zero-padded: the bucket lists them in the settings' order.
    expect(batchResultKey(keys.dataKey, 40)).toBe(`${keys.resultsPrefix}000000040.json`);
    expect(batchResultKey(keys.dataKey, 40) < batchResultKey(keys.dataKey, 400)).toBe(true);
  });

  it("refuses data larger than the worker can hold, saying how large and what to do", () => {
    expect(dataSizeProblem(RESEARCH_LIMITS.maxDataBytes)).toBeUndefined();
    expect(dataSizeProblem(RESEARCH_LIMITS.maxDataBytes + 1)).toBe(
      "the search's candles come to 257 MB of JSON, more than the worker's 256 MB (it has 1,769 MB of memory): search fewer pairs or a shorter period (--from, --to)",
    );
  });

  it("holds docs/optimize.md's sizes: a candle about 100 bytes of JSON, 200 pairs × a year of 1h about 170 MB, within the limit", () => {
    const candles = fixtureCandles("BNBUSDT-4h");
    const perCandle = JSON.stringify(candles).length / candles.length;
    expect(perCandle).toBeGreaterThan(90);
    expect(perCandle).toBeLessThan(110);
    const year200 = perCandle * 200 * 8_760;
    expect(Math.round(year200 / 10 / 1024 / 1024) * 10).toBe(170);
    expect(dataSizeProblem(year200)).toBeUndefined();
    const doc = readFileSync(new URL("../../../docs/optimize.md", import.meta.url), "utf8").replace(
      /\s+/g,
      " ",
    );
    expect(doc).toContain("A candle is about 100 bytes of JSON: 200 pairs × a year of 1h is about 170 MB");
    expect(doc).toContain(`past ${RESEARCH_LIMITS.maxDataBytes / 1024 / 1024} MB`);
  });
});
