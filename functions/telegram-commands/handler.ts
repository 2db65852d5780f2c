import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import {
  MAX_UPDATE_BYTES,
  messageOfUpdate,
  SECRET_HEADER,
  secretMatches,
} from "../../shared/adapters/telegram/telegram-update.ts";
import { handleMessage } from "../../shared/application/commands/handle-message.ts";
import { createDependencies } from "./dependencies.ts";

const { gateway, logger, webhookSecret } = createDependencies(process.env);

/** A Lambda function URL's request (payload format 2.0), as much of it as is read. */
export interface UrlRequest {
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

const answer = (statusCode: number) => ({ statusCode, headers: { "content-type": "text/plain" }, body: "" });

/**
 * Telegram's webhook, behind a Lambda function URL. An update is taken only with Telegram's
 * secret-token header equal to the secret in SSM (compared in constant time); anything else is
 * answered without effect and logged without its content. A taken update is answered 200 whatever
 * came of it (Telegram would deliver it again otherwise; a repeat acts once anyway).
 */
async function answerUpdate(
  request: UrlRequest,
): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  if (request.requestContext?.http?.method !== "POST") {
    logger.warn("Webhook request refused: not a POST", { outcome: "not-post" });
    return answer(405);
  }
  let secret: string;
  try {
    secret = await webhookSecret();
  } catch (error) {
    logger.error("Webhook secret unreadable: every update is refused", { error: (error as Error).name });
    return answer(503);
  }
  if (!secretMatches(request.headers?.[SECRET_HEADER], secret)) {
    logger.warn("Webhook request refused: secret token missing or wrong", { outcome: "forged" });
    return answer(401);
  }
  const raw = request.body ?? "";
  const text = request.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  if (Buffer.byteLength(text) > MAX_UPDATE_BYTES) {
    logger.warn("Webhook update refused: too large", {
      outcome: "too-large",
      bytes: Buffer.byteLength(text),
    });
    return answer(200);
  }
  let update: unknown;
  try {
    update = JSON.parse(text);
  } catch {
    logger.warn("Webhook update refused: not JSON", { outcome: "not-json" });
    return answer(200);
  }
  const message = messageOfUpdate(update);
  if (!message) return answer(200); // an edit, a join, a button: nothing to do
  try {
    await handleMessage(await gateway(), message);
  } catch (error) {
    logger.error("Chat command failed", {
      error: { name: (error as Error).name, message: (error as Error).message },
    });
  }
  return answer(200);
}

/** Powertools' middleware: the invocation's context on every log line, cleared after it. */
export const handler = middy(answerUpdate, { timeoutEarlyInMillis: 0 }).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
