import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";
import { DEFAULT_STACK_NAME } from "../shared/adapters/config/settings.ts";
import { cutText } from "../shared/application/cut-text.ts";
import { ACCOUNT_ID } from "../shared/application/cycle/index.ts";
import type { CycleResult } from "../shared/application/ports/cycle-outcome.ts";
import { cycleEventOf, parseFlags } from "./args.ts";
import { awsAdvice } from "./aws-advice.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { confirmed } from "./confirm.ts";
import { formatResult } from "./format-result.ts";
import { stackOutputs } from "./stack-outputs.ts";

const USAGE = `Usage: npm run invoke -- --symbol BNBUSDT --timeframe 4h [--dry-run] [--yes] [--json]
                         [--stack ${DEFAULT_STACK_NAME}] [--function-name <name>] [--account <id>]
       npm run invoke -- --rebalance <account> [--dry-run] [--yes] [--json] [--stack …] [--function-name …]

Invokes the deployed trading-cycle function once, synchronously, and prints its result.
The function's name comes from the stack's FunctionName output unless --function-name is given.
Without --dry-run the cycle trades on the paper account: you are asked to confirm (or pass --yes).
AWS credentials and region come from the environment, as for the AWS CLI.
  --symbol <symbol>       the pair's symbol (BNBUSDT)
  --timeframe <tf>        the pair's timeframe (4h)
  --dry-run               decide without writing or alerting
  --yes                   trade without asking (a live cycle asks for confirmation otherwise)
  --json                  the function's result as JSON
  --stack <name>          the stack whose FunctionName output names the function (default ${DEFAULT_STACK_NAME})
  --function-name <name>  the function itself, instead of the stack's output
  --account <id>          another paper account than the configured one
  --rebalance <account>   a rebalancing account's run now, instead of a pair's cycle (it trades
                          only at a scheduled close: docs/rebalancing.md)`;

/** The rebalance event of `--rebalance <account>`; a pair's flags with it are a mistake. */
function rebalanceEventOf(flags: {
  rebalance?: string;
  symbol?: string;
  timeframe?: string;
  account?: string;
  "dry-run"?: boolean;
}) {
  const pairFlag = (["symbol", "timeframe", "account"] as const).find((n) => flags[n] !== undefined);
  if (pairFlag)
    throw new UsageError(`--${pairFlag} is for a pair's cycle; --rebalance names the account itself`);
  const account = flags.rebalance ?? "";
  if (!ACCOUNT_ID.test(account))
    throw new UsageError(
      `--rebalance must name an account (letters, digits, - and _, at most 64), got "${account}"`,
    );
  return { rebalance: account, ...(flags["dry-run"] ? { dryRun: true } : {}) };
}

const parsedOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

await runCli(async () => {
  const flags = parseFlags(USAGE, {
    symbol: { type: "string" },
    timeframe: { type: "string" },
    account: { type: "string" },
    "dry-run": { type: "boolean" },
    yes: { type: "boolean" },
    json: { type: "boolean" },
    stack: { type: "string" },
    "function-name": { type: "string" },
    rebalance: { type: "string" },
  });
  if (!flags) return 0;
  const event = flags.rebalance === undefined ? cycleEventOf(flags) : rebalanceEventOf(flags);
  if (!flags["dry-run"] && !flags.yes) {
    const ok = await confirmed(
      "rebalance" in event
        ? `Run a live rebalance of account ${event.rebalance}? [y/N] `
        : `Run a live paper-trading cycle for ${event.symbol} ${event.timeframe}? [y/N] `,
    );
    if (!ok)
      throw new UsageError("not confirmed: pass --dry-run to decide without trading, or --yes to trade");
  }
  let response: InvokeCommandOutput;
  try {
    const functionName =
      flags["function-name"] ??
      (await stackOutputs(flags.stack ?? DEFAULT_STACK_NAME, ["FunctionName"], "npm run deploy"))
        .FunctionName;
    response = await new LambdaClient({}).send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: "RequestResponse",
        Payload: JSON.stringify(event),
      }),
    );
  } catch (error) {
    const advice = error instanceof Error ? awsAdvice(error) : undefined;
    if (!advice) throw error;
    process.stderr.write(`AWS: ${advice}\n`);
    return 1;
  }
  const text = Buffer.from(response.Payload ?? new Uint8Array()).toString("utf8");
  // A failed invocation first: its payload may be anything (Lambda's own error text, or nothing).
  if (response.FunctionError) {
    const error = parsedOrUndefined(text) as { errorType?: string; errorMessage?: string } | undefined;
    const message = error?.errorMessage ?? (text.trim() ? cutText(text.trim(), 1_000) : "no details");
    process.stderr.write(`The function failed (${error?.errorType ?? response.FunctionError}): ${message}\n`);
    return 1;
  }
  const payload = parsedOrUndefined(text);
  if (payload === undefined || typeof payload !== "object" || payload === null) {
    process.stderr.write(
      `The function answered something that is not a cycle's result: ${cutText(text, 200)}\n`,
    );
    return 1;
  }
  const result = payload as CycleResult;
  process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : formatResult(result));
  return result.status === "failed" ? 1 : 0;
});
