import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { parseSettings, SETTINGS } from "../shared/adapters/config/settings.ts";
import { ConfigurationError } from "../shared/domain/errors.ts";
import { checkDeployLimits } from "./deploy-limits.ts";
import { acknowledgeAcceptedFindings } from "./nag-suppressions.ts";
import { TradingBotStack } from "./trading-bot-stack.ts";

/** Builds the app from cdk.json's "tradingBot" context; any key can be overridden with -c key=value. */
export function buildApp(app = new App()): { app: App; stack: TradingBotStack } {
  const context = (app.node.tryGetContext("tradingBot") ?? {}) as Record<string, unknown>;
  const overrides: Record<string, unknown> = {};
  for (const key of Object.keys(SETTINGS)) {
    const value = app.node.tryGetContext(key);
    if (value !== undefined && key !== "tradingBot") overrides[key] = value;
  }
  const config = parseSettings(context, "tradingBot", overrides);
  const stack = new TradingBotStack(app, app.node.tryGetContext("stackName") ?? "FibonacciPaperTrader", {
    description: "Fibonacci Golden Zone paper trader: scheduled cycles, account table, alerts",
    config,
  });
  acknowledgeAcceptedFindings(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { app, stack } = buildApp();
    checkDeployLimits(app.synth(), stack.ruleQuota);
  } catch (error) {
    // A configuration mistake is one line naming the key, not a stack trace.
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${error.name}: ${error.message}\n`);
    process.exit(1);
  }
}
