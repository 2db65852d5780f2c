import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliAsync } from "../helpers/run-cli.ts";

const CSV = [
  "--csv",
  "test/fixtures/market/BNBUSDT-4h.csv",
  "--tick",
  "0.01",
  "--step",
  "0.001",
  "--min-notional",
  "5",
];

describe("npm run backtest says where it wrote its files", () => {
  it("--compare with --html and --fills-csv prints both paths", async () => {
    const data = mkdtempSync(join(tmpdir(), "written-"));
    const run = await runCliAsync("backtest", [
      ...["--symbol", "BNBUSDT", "--timeframe", "4h", ...CSV, "--data-dir", data],
      ...["--compare", "ma-distance,buy-and-hold", "--html", "compare.html", "--fills-csv", "fills.csv"],
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`HTML report: ${join(data, "reports", "compare.html")}`);
    expect(run.stdout).toContain(`fills CSV: ${join(data, "reports", "fills.csv")}`);
  }, 60_000);

  it("writes money on the page as people read it: the best and worst trade to the cent", async () => {
    const data = mkdtempSync(join(tmpdir(), "written-"));
    const run = await runCliAsync("backtest", [
      ...["--symbol", "BNBUSDT", "--timeframe", "4h", ...CSV, "--data-dir", data, "--html", "one.html"],
    ]);
    expect(run.status).toBe(0);
    const page = readFileSync(join(data, "reports", "one.html"), "utf8");
    expect(page).toContain("<th>Best / worst trade</th><td>-50.78 / -50.78 USDT</td>");
    expect(page).not.toContain("-50.7787917 /");
  }, 60_000);
});
