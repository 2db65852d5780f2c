import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { DEFAULT_STACK_NAME, parseSettings, SETTINGS } from "../shared/adapters/config/settings.ts";
import { researchStackName } from "../shared/adapters/optimize/search-layout.ts";
import { ConfigurationError } from "../shared/domain/errors.ts";
import { checkDeployLimits } from "./deploy-limits.ts";
import { acknowledgeAcceptedFindings, acknowledgeResearchFindings } from "./nag-suppressions.ts";
import { ResearchStack } from "./research-stack.ts";
import { TradingBotStack } from "./trading-bot-stack.ts";

/** Context keys of ours besides the settings; CDK's own keys are left to CDK. */
const OWN_KEYS = ["tradingBot", "stackName", "research"];
const CDK_KEYS = /^(aws:|@aws-cdk\/|aws-cdk|cdk-|cli-|acknowledged-issue)/;

/** A context value given as JSON text (`-c 'tradingBot={…}'`) parsed; an object as it is; anything else named. */
function jsonObject(value: unknown, key: string): Record<string, unknown> {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ConfigurationError(
        `${key} must be a JSON object such as {"accountId": "paper"}, got ${value.slice(0, 100)}`,
      );
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new ConfigurationError(`${key} must be a JSON object such as {"accountId": "paper"}`);
  return parsed as Record<string, unknown>;
}

/** Builds the app from cdk.json's "tradingBot" context; any key can be overridden with -c key=value. */
export function buildApp(app = new App()): { app: App; stack: TradingBotStack } {
  const context = jsonObject(app.node.tryGetContext("tradingBot") ?? {}, "tradingBot");
  // A key nobody reads is a typo (`-c maxOpenPosition=5`): refused, naming the known ones.
  const unknown = Object.keys(app.node.getAllContext()).filter(
    (key) => !(key in SETTINGS) && !OWN_KEYS.includes(key) && !CDK_KEYS.test(key),
  );
  if (unknown.length > 0)
    throw new ConfigurationError(
      `unknown context key(s) ${unknown.map((k) => `"${k}"`).join(", ")}; known: ${[...OWN_KEYS, ...Object.keys(SETTINGS).filter((k) => k !== "tradingBot")].join(", ")}`,
    );
  const overrides: Record<string, unknown> = {};
  for (const key of Object.keys(SETTINGS)) {
    const value = app.node.tryGetContext(key);
    if (value !== undefined && key !== "tradingBot") overrides[key] = value;
  }
  const config = parseSettings(context, "tradingBot", overrides);
  const stack = new TradingBotStack(app, app.node.tryGetContext("stackName") ?? DEFAULT_STACK_NAME, {
    description: "Fibonacci Golden Zone paper trader: scheduled cycles, account table, alerts",
    config,
  });
  acknowledgeAcceptedFindings(stack);
  // The optional research stack: the optimizer fanned out on Step Functions' Distributed Map.
  const research = app.node.tryGetContext("research");
  if (research === true || research === "true") {
    const lab = new ResearchStack(app, researchStackName(stack.stackName), {
      description:
        "The optimizer's searches on Step Functions Distributed Map: bucket, worker, state machine",
    });
    acknowledgeResearchFindings(lab);
  }
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
    process.stderr.write(`Error: ${error.message}\n`);
    process.exit(1);
  }
}
