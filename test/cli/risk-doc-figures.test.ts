import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { percent } from "../../shared/application/format.ts";
import { BNB_4H_CSV } from "../helpers/backtest-cli.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

const DOC = readFileSync("docs/risk.md", "utf8");
/** The 4h fixture as BNBUSDT, with its exchange filters given (offline). */
const MARKET = [
  "--symbol",
  "BNBUSDT",
  "--timeframe",
  "4h",
  "--csv",
  BNB_4H_CSV,
  "--tick",
  "0.01",
  "--step",
  "0.001",
  "--min-notional",
  "5",
];

interface Report {
  totalReturnPct: number;
  trades: number;
  openTrades: number;
  maxDrawdownPct: number;
  exitReasons: { reason: string; count: number }[];
  blockedEntries: Record<string, number>;
}

async function backtest(strategy: string, risk?: string): Promise<Report> {
  const args = [...MARKET, "--strategy", strategy];
  const run = await runCliAsync("backtest", [...args, ...(risk ? ["--risk", risk] : []), "--json"], {
    BINANCE_BASE_URL: "http://127.0.0.1:9",
  });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as Report;
}

describe("docs/risk.md's figures", () => {
  it("its table of the 4h fixture with and without the quoted settings is what the backtest gives", async () => {
    const risk = /--risk\s+'(\{[^']+\})'/.exec(DOC.slice(DOC.indexOf("On the 4h fixture")))?.[1];
    expect(risk).toBeDefined();
    const minus = (text: string) => text.replace("-", "−");
    for (const strategy of ["ma-distance", "fibonacci-golden-zone"]) {
      const [without, withRisk] = await Promise.all([backtest(strategy), backtest(strategy, risk)]);
      const trailing = withRisk.exitReasons.find((e) => e.reason === "trailing-stop")?.count ?? 0;
      const blocked = Object.values(withRisk.blockedEntries).reduce((n, c) => n + c, 0);
      const row = `| ${strategy} | ${minus(percent(without.totalReturnPct))} | ${minus(percent(withRisk.totalReturnPct))} | ${without.trades + without.openTrades} / ${withRisk.trades + withRisk.openTrades} | ${trailing} | ${without.maxDrawdownPct.toFixed(2)} % / ${withRisk.maxDrawdownPct.toFixed(2)} % | ${blocked} |`;
      expect(DOC).toContain(row);
    }
  }, 120_000);

  it("its compare-protections command runs offline as quoted and reports what the protections blocked", async () => {
    const command = DOC.replace(/ \\\n\s*/g, " ")
      .split("\n")
      .find((line) => line.startsWith("npm run backtest -- ") && line.includes("--compare-protections"));
    const args = (command ?? "").slice("npm run backtest -- ".length).match(/'[^']*'|\S+/g) ?? [];
    const run = await runCliAsync(
      "backtest",
      args.map((a) => a.replace(/^'|'$/g, "")),
      { BINANCE_BASE_URL: "http://127.0.0.1:9" },
    );
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/ma-distance without protections/);
    const effect =
      /ma-distance: (\d+) entries blocked \(cooldown \d+\); final equity [\d.]+ with them, [\d.]+ without: -([\d.]+) USDT/.exec(
        run.stdout,
      );
    expect(effect).not.toBeNull();
    expect(DOC).toContain(
      `cooldown (two days) blocks ${effect?.[1]} of ma-distance's BUY signals and ends ${effect?.[2]} USDT lower`,
    );
  }, 120_000);

  it("a single backtest's HTML page and terminal summary name the risk controls and what they blocked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "risk-html-"));
    const html = join(dir, "risk.html");
    const args = [...MARKET, "--strategy", "ma-distance"];
    const risk = '{"protections": {"cooldownCandles": 12}}';
    const run = await runCliAsync("backtest", [...args, "--risk", risk, "--html", html], {
      BINANCE_BASE_URL: "http://127.0.0.1:9",
    });
    expect(run.stdout).toContain(
      '  risk controls     {"protections":{"cooldownCandles":12}}; 8 entries blocked (cooldown 8)\n',
    );
    expect(readFileSync(html, "utf8")).toContain(
      "<th>Risk controls</th><td>{&quot;protections&quot;:{&quot;cooldownCandles&quot;:12}}; 8 entries blocked (cooldown 8)</td>",
    );
  }, 120_000);
});
