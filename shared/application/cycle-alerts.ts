import type { Position } from "../domain/account/account.ts";
import type { CycleDecision } from "../domain/trading/decide-cycle.ts";
import { entryAlert, exitAlert, failureAlert, type TradeAlertContext } from "./alert-messages.ts";
import type { CycleRequest } from "./cycle-request.ts";
import type { AccountRepository } from "./ports/account-repository.ts";
import type { Alert, AlertPublisher } from "./ports/alerts.ts";
import type { Logger } from "./ports/logger.ts";

/** Publishes each alert; a failed publish is logged and counted, never undoes or repeats a trade. */
export async function publishAll(alerts: AlertPublisher, messages: Alert[], logger: Logger) {
  let sent = 0;
  let failed = 0;
  for (const alert of messages) {
    try {
      await alerts.publish(alert);
      sent++;
    } catch (error) {
      failed++;
      logger.error("Alert not published; the trade stands", { subject: alert.subject, error: String(error) });
    }
  }
  return { sent, failed };
}

/** An alert per fill of the decision: exits (with PnL) and the entry. */
export function tradeAlerts(decision: CycleDecision, ctx: TradeAlertContext): Alert[] {
  const messages: Alert[] = [];
  const entryPrice = (decision.before as Position | undefined)?.entryPrice;
  for (const exit of decision.exits) {
    if (entryPrice) messages.push(exitAlert(exit, entryPrice, ctx));
  }
  if (decision.entry && decision.after) messages.push(entryAlert(decision.entry, decision.after, ctx));
  return messages;
}

/**
 * Sends the failure alert of a candle at most once, however often Lambda retries the cycle:
 * the repository notes it first. When the store itself is down the alert still goes out
 * (telling people beats staying silent).
 */
export async function alertFailureOnce(
  deps: { repository: AccountRepository; alerts: AlertPublisher; logger: Logger },
  request: CycleRequest,
  candleTime: number,
  candleClose: number,
  error: { type: string; message: string; retryable: boolean },
): Promise<{ sent: number; failed: number }> {
  let first = true;
  try {
    first = await deps.repository.claimFailureAlert(
      request.accountId,
      request.symbol,
      request.timeframe,
      candleTime,
    );
  } catch (claimError) {
    deps.logger.warn("Could not note the failure alert; sending it anyway", { error: String(claimError) });
  }
  if (!first) return { sent: 0, failed: 0 };
  return publishAll(
    deps.alerts,
    [failureAlert(request.symbol, request.timeframe, candleClose, error)],
    deps.logger,
  );
}
