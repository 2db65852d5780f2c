import { describe, expect, it } from "vitest";
import { STRATEGIES as REGISTERED } from "../../shared/domain/strategies/registry.ts";
import { marketCsv } from "../helpers/fixtures.ts";
import { runCliScript } from "../helpers/run-cli.ts";

/** The registry's strategies as errors list them (a strategy added by the tutorial is in it too). */
const NAMES = REGISTERED.map((s) => s.name).join(", ");

describe("npm run strategies", () => {
  it("lists every strategy with its parameters, defaults and bounds", () => {
    const run = runCliScript("strategies", ["--json"]);
    expect(run.status).toBe(0);
    const list = JSON.parse(run.stdout) as { name: string; params: { name: string; default?: number }[] }[];
    expect(list.map((s) => s.name)).toEqual(["fibonacci-golden-zone", "ma-distance", "buy-and-hold", "dca"]);
    const ma = list.find((s) => s.name === "ma-distance");
    expect(ma?.params.map((p) => [p.name, p.default])).toEqual([
      ["maPeriod", 20],
      ["buyThreshold", -2.4],
      ["sellThreshold", 2],
      ["stopLossPct", undefined],
    ]);
    const text = runCliScript("strategies", []);
    expect(text.stdout).toContain("dca (v1.0.0)");
    expect(text.stdout).toMatch(/maPeriod\s+integer\s+default 20\s+2…1000/);
  });
});

describe("npm run signals with a strategy", () => {
  it("prints one line per window with at least t and action", () => {
    const run = runCliScript("signals", [
      "--input",
      marketCsv("BNBUSDT-4h"),
      "--strategy",
      "ma-distance",
      "--param",
      "maPeriod=100",
      "--param",
      "sellThreshold=10.3",
    ]);
    expect(run.stderr).toBe("");
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { t: string; action: string; reason: string });
    expect(lines).toHaveLength(1906 - 299);
    expect(lines[0]?.t).toBe("2025-02-19T20:00:00Z"); // the 300th candle, as in the reference's fixture
    expect(new Set(lines.map((l) => l.action))).toEqual(new Set(["BUY", "SELL", "HOLD"]));
    expect(lines.find((l) => l.action === "BUY")?.reason).toMatch(
      /^Price -\d+\.\d% below MA100 \(threshold: -2\.4%\)$/,
    );
  });

  it.each([
    [["--strategy", "nope"], `unknown strategy "nope"; the strategies: ${NAMES}`],
    [
      ["--strategy", "ma-distance", "--param", "period=5"],
      'unknown parameter "period"; its parameters: maPeriod, buyThreshold, sellThreshold, stopLossPct',
    ],
    [["--strategy", "ma-distance", "--param", "maPeriod=1"], "maPeriod must be between 2 and 1000, got 1"],
    [["--param", "nonsense"], "--param must read key=value"],
  ])("refuses an unknown strategy, parameter or value: exit 2, nothing on stdout (%#)", (args, message) => {
    const run = runCliScript("signals", ["--input", marketCsv("BNBUSDT-4h"), ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe("");
  });
});
