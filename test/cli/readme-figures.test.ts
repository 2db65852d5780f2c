import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { money, percent, utcTime } from "../../shared/application/format.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

const README = readFileSync("README.md", "utf8");

/** The arguments of the README's quoted `npm run backtest -- …` command that contains `marker`. */
function quotedBacktest(marker: string): string[] {
  const command = README.replace(/ \\\n\s*/g, " ")
    .split("\n")
    .find((line) => line.startsWith("npm run backtest -- ") && line.includes(marker));
  if (!command) throw new Error(`the README quotes no backtest with ${marker}`);
  return command.slice("npm run backtest -- ".length).trim().split(/\s+/);
}

describe("the README's backtest commands and figures", () => {
  it("its --compare command runs offline as quoted, and gives the returns the README states", async () => {
    const args = quotedBacktest("--compare");
    const run = await runCliAsync("backtest", [...args, "--json"], {
      BINANCE_BASE_URL: "http://127.0.0.1:9",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const results = JSON.parse(run.stdout).compare as {
      strategy: { name: string };
      totalReturnPct: number;
      buyAndHoldReturnPct: number;
    }[];
    const returnOf = (name: string) =>
      percent(results.find((r) => r.strategy.name === name)?.totalReturnPct ?? Number.NaN).replace("-", "−");
    const stated = `4h fixture: Fibonacci ${returnOf("fibonacci-golden-zone")}, ma-distance (100) ${returnOf("ma-distance")}, buy-and-hold ${returnOf("buy-and-hold")}, DCA ${returnOf("dca")}\n(the market: ${percent(results[0]?.buyAndHoldReturnPct ?? Number.NaN)}).`;
    expect(README).toContain(stated);
  }, 120_000);

  it("its single-backtest CSV command runs offline as quoted, and makes the one trade the README states", async () => {
    const args = quotedBacktest("--html").filter((a, i, all) => a !== "--html" && all[i - 1] !== "--html");
    const run = await runCliAsync("backtest", [...args, "--json"], {
      BINANCE_BASE_URL: "http://127.0.0.1:9",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as {
      cycles: number;
      finalEquity: string;
      netPnl: string;
      totalReturnPct: number;
      buyAndHoldReturnPct: number;
      fills: { time: string; price: string; quantity: string }[];
    };
    expect(report.fills).toHaveLength(2);
    const [buy, sell] = report.fills as [(typeof report.fills)[0], (typeof report.fills)[0]];
    /** The README's prose: thousands separated, a real minus sign. */
    const prose = (text: string) => text.replace(/\B(?=(\d{3})+\.)/, ",").replace("-", "−");
    const stated =
      `On the whole \`BNBUSDT-4h.csv\` (${report.cycles.toLocaleString("en-US")} cycles) the strategy makes one trade: ` +
      `the BUY at the candle closed ${utcTime(buy.time)} (${buy.quantity} BNB at ${buy.price}), stopped out at the candle ` +
      `closed ${utcTime(sell.time)} at ${sell.price}, ${prose(money(report.netPnl))} USDT with fees; the account ends at ` +
      `${prose(money(report.finalEquity))} USDT (${prose(percent(report.totalReturnPct))}) while buy and hold made ` +
      `${percent(report.buyAndHoldReturnPct)}.`;
    expect(README.replace(/\s+/g, " ")).toContain(stated);
  }, 120_000);
});
