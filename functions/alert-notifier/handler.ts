import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SnsRecord } from "../../shared/adapters/channels/notifier.ts";
import { createDependencies } from "./dependencies.ts";

/**
 * The alert notifier: one function per channel, subscribed to the alert topic with the channel's
 * filter policy. Reads the channel's secret from SSM Parameter Store once per container, sends
 * each alert (retries inside the invocation; Lambda does not retry it), and throws what it could
 * not deliver, so that it lands in the failure queue and its alarm goes off. It logs the channel's
 * name and the alert id, never the secret.
 */
const { notifier, logger } = createDependencies(process.env);

/** Keeps 2 s to return before Lambda's timeout. */
const SAFETY_MS = 2_000;

type Context = { getRemainingTimeInMillis?: () => number };

async function deliver(event: { Records?: readonly SnsRecord[] }, context?: Context) {
  const records = event.Records ?? [];
  const remaining = context?.getRemainingTimeInMillis
    ? () => (context.getRemainingTimeInMillis?.() ?? 0) - SAFETY_MS
    : undefined;
  try {
    const outcomes = await notifier.deliver(records, remaining);
    const sent = outcomes.filter((o) => o === "sent").length;
    logger.info("Alerts delivered", { sent, repeats: outcomes.length - sent });
    return { sent, repeats: outcomes.length - sent };
  } catch (error) {
    const { name, message } = error as Error;
    logger.error("Alert not delivered", { error: { name, message } });
    throw error;
  }
}

/** Powertools' middleware adds the invocation's context to every line and clears it after. */
export const handler = middy(deliver, { timeoutEarlyInMillis: 0 }).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
