import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliAsync } from "../helpers/run-cli.ts";

describe("npm run demo", () => {
  it("trades two accounts offline on the repository's candles, alerts as it goes, and ends with status, leaderboard and report", async () => {
    const run = await runCliAsync("demo", ["--closes", "60"], { BINANCE_BASE_URL: "http://127.0.0.1:9" });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const out = run.stdout;
    // Its own folder under the system's temporary directory, never ./.data.
    expect(out).toContain(`Its files: ${join(tmpdir(), "paper-trader-demo-")}`);
    expect(out).not.toContain(".data");
    // The alerts as they happen: ma-distance's entry first, then Fibonacci's.
    const first = out.indexOf("── ALERT BUY BNBUSDT 1h: 0.778 @ 641.93 USDT (paper)");
    const fibonacci = out.indexOf("── ALERT BUY BNBUSDT 1h: 0.783 @ 638.13 USDT (paper)");
    expect(first).toBeGreaterThan(0);
    expect(fibonacci).toBeGreaterThan(first);
    expect(out).not.toMatch(/INFO {2}Cycle finished/);
    for (const line of [
      "Account fibonacci, opened",
      "Account ma-distance, opened",
      "#  account      strategy",
      "Live against the backtest, account ma-distance",
      "No divergence: live equals the backtest fill for fill, and every live cycle replays exactly.",
    ])
      expect(out).toContain(line);
    expect(out).not.toContain("Error");
    // What its candles are, said where it starts: the 2025 4h fixture, replayed an hour apart.
    expect(out).toMatch(
      /^Demo: 60 closes of Binance's real BNBUSDT 4h candles of 2025 \(the repository's fixture\),\nreplayed one hour apart as BNBUSDT 1h from 2026-02-06 13:00 UTC \(every time below is the replay's\)/,
    );
    expect(out).not.toContain("hourly closes of Binance's real");
    // Its folder holds what it says (no report file), and the command it suggests works on it.
    const folder =
      /Its files: (\S+) \(the configuration cdk\.json and the store; look again with npm run status -- --config (\S+) --data-dir (\S+)\)/.exec(
        out,
      );
    expect(folder?.[2]).toBe(join(folder?.[1] ?? "", "cdk.json"));
    const again = await runCliAsync(
      "status",
      ["--config", folder?.[2] ?? "", "--data-dir", folder?.[3] ?? "", "--account", "fibonacci"],
      {
        BINANCE_BASE_URL: "http://127.0.0.1:9",
      },
    );
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("Account fibonacci, opened");
    // The report it suggests works on its folder afterwards, offline (its stand-in is gone).
    const suggested =
      /look again, offline: npm run report -- (.+)\. Run the paper trader/.exec(out)?.[1]?.split(" ") ?? [];
    expect(suggested).toContain("--account");
    const report = await runCliAsync("report", suggested, {});
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toContain(
      "No divergence: live equals the backtest fill for fill, and every live cycle replays exactly.",
    );
  }, 120_000);
});
