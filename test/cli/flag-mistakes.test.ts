import { describe, expect, it } from "vitest";
import { STRATEGIES as REGISTERED } from "../../shared/domain/strategies/registry.ts";
import { runCliAsync } from "../helpers/run-cli.ts";

/** The registry's strategies as errors list them (a strategy added by the tutorial is in it too). */
const NAMES = REGISTERED.map((s) => s.name).join(", ");

describe("a mistake on the command line: one line, a did-you-mean where one is close, exit 2", () => {
  it.each([
    [
      "backtest",
      ["--symbl", "BNBUSDT"],
      "Error: unknown option --symbl (did you mean --symbol?); see --help",
    ],
    ["status", ["--trade", "5"], "Error: unknown option --trade (did you mean --trades?); see --help"],
    [
      "optimize",
      ["--strategy"],
      'Error: --strategy needs a value, e.g. --strategy <value> (a value starting with "-" as --strategy=-1); see --help',
    ],
    [
      "cycle",
      ["--symbol", "--timeframe", "4h"],
      'Error: --symbol needs a value, e.g. --symbol <value> (a value starting with "-" as --symbol=-1); see --help',
    ],
    ["report", ["--json=yes"], "Error: --json takes no value; see --help"],
    [
      "strategies",
      ["ma-distance"],
      'Error: unexpected word "ma-distance": every value follows its flag (--name value); see --help',
    ],
    ["backtest", ["--zzzzzz"], "Error: unknown option --zzzzzz; see --help"],
    [
      "status",
      ["--leaderboard", "--account", "paper"],
      "Error: --account is not for --leaderboard (every account, ranked); leave it out",
    ],
    ["status", ["--digest", "--json"], "Error: --json is not for --digest (the digest's text); leave it out"],
  ])("%s %j", async (command, args, line) => {
    const run = await runCliAsync(command, args, {});
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(line);
    expect(run.stdout).toBe("");
  });

  it.each([
    [
      "optimize",
      ["--strategy", "ma-distanse", "--symbol", "BNBUSDT", "--timeframe", "4h"],
      `Error: --strategy: unknown strategy "ma-distanse" (did you mean ma-distance?); the strategies: ${NAMES}`,
    ],
    ["demo", ["--closes", "5"], 'Error: --closes must be a whole number from 10 to 1000, got "5"'],
  ])("a value mistake is a usage mistake too: %s %j exits 2", async (command, args, line) => {
    const run = await runCliAsync(command, args, {});
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(line);
  });

  it("names the same timeframes in help and in errors", async () => {
    for (const command of ["backtest", "cycle"]) {
      const help = await runCliAsync(command, ["--help"], {});
      const listed = /\(((?:\d+[mhdw] ?)+)\)/.exec(help.stdout)?.[1]?.split(" ");
      const error = await runCliAsync(command, ["--symbol", "BNBUSDT", "--timeframe", "5h"], {});
      expect(error.stderr).toContain(`--timeframe must be one of ${listed?.join(", ")}, got "5h"`);
    }
  });
});
