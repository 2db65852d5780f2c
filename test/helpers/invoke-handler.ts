/**
 * A child process for crash tests: invokes the trading-cycle handler (from source, with the
 * environment it is given) on the event in argv[2], with a Lambda-like context of 40 s, and prints
 * the result as one JSON line (or the error it threw).
 */
import { handler } from "../../functions/trading-cycle/handler.ts";

const end = performance.now() + 40_000;
const context = {
  functionName: "trading-cycle",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:trading-cycle",
  memoryLimitInMB: "256",
  awsRequestId: "child",
  getRemainingTimeInMillis: () => Math.round(end - performance.now()),
};
try {
  const result = await handler(JSON.parse(process.argv[2] ?? "{}"), context);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
} catch (error) {
  process.stdout.write(`THROWN ${(error as Error).name}: ${(error as Error).message}\n`);
}
