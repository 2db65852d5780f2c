import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { parseDeploymentConfig } from "../shared/adapters/config/deployment-config.ts";
import { acknowledgeAcceptedFindings } from "./nag-suppressions.ts";
import { TradingBotStack } from "./trading-bot-stack.ts";

/** Builds the app from cdk.json's "tradingBot" context; any key can be overridden with -c key=value. */
export function buildApp(app = new App()): { app: App; stack: TradingBotStack } {
  const context = (app.node.tryGetContext("tradingBot") ?? {}) as Record<string, unknown>;
  const overrides: Record<string, unknown> = {};
  for (const key of Object.keys({ ...context, watchlist: 1, alertEmail: 1, accountId: 1 })) {
    const value = app.node.tryGetContext(key);
    if (value !== undefined && key !== "tradingBot") overrides[key] = value;
  }
  const config = parseDeploymentConfig(context, overrides);
  const stack = new TradingBotStack(app, app.node.tryGetContext("stackName") ?? "FibonacciPaperTrader", {
    description: "Fibonacci Golden Zone paper trader: scheduled cycles, account table, alerts",
    config,
  });
  acknowledgeAcceptedFindings(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().app.synth();
}
