import type { Position } from "../../domain/account/account.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { CycleDecision } from "../../domain/trading/decide-cycle.ts";
import { cutText } from "../cut-text.ts";
import type { AlertSender } from "../ports/alert-outbox.ts";
import {
  type Alert,
  type AlertPublisher,
  AlertRefusedError,
  AlertServiceUnavailableError,
} from "../ports/alerts.ts";
import type { Logger } from "../ports/logger.ts";
import { withinMs } from "../within.ts";
import {
  entryAlert,
  exitAlert,
  failureAlert,
  pausedEntryAlert,
  protectionAlert,
  riskStateTrimmedAlert,
  type TradeAlertContext,
} from "./alert-messages.ts";

/** How long a delivery holds an alert it is sending; a delivery that died lets it go after this. */
const ALERT_LEASE_MS = 60_000;
/** How long a failure alert waits on the store before it is sent directly (the store may be the failure). */
const QUEUE_WAIT_MS = 2_000;
/** Alerts sent per delivery at most (the rest wait for the next cycle of the account). */
const BATCH = 25;
/** Deliveries that may try one alert before it is set aside: no alert is retried forever. */
export const MAX_ALERT_ATTEMPTS = 24;

export interface AlertDeps {
  readonly outbox: AlertSender;
  readonly alerts: AlertPublisher;
  readonly logger: Logger;
  readonly now: () => number;
}

export interface Delivery {
  readonly sent: number;
  readonly failed: number;
  /** Set aside as dead letters this delivery (refused for good, or tried MAX_ALERT_ATTEMPTS times). */
  readonly setAside?: number;
  /** The service took no alert for a reason not the alerts' (throttled, a disabled key…): why; all stay queued. */
  readonly blocked?: string;
}

/** An alert per fill of the decision (exits with PnL, then the entry), queued with the commit. */
export function tradeAlerts(decision: CycleDecision, ctx: TradeAlertContext): Alert[] {
  const messages: Alert[] = [];
  const entryPrice = (decision.before as Position | undefined)?.entryPrice;
  for (const exit of decision.exits) {
    if (entryPrice) messages.push(exitAlert(exit, entryPrice, ctx));
  }
  if (decision.entry && decision.after) messages.push(entryAlert(decision.entry, decision.after, ctx));
  for (const lock of decision.risk?.released ?? []) messages.push(protectionAlert(lock, "released", ctx));
  for (const lock of decision.risk?.engaged ?? []) messages.push(protectionAlert(lock, "engaged", ctx));
  if (decision.risk?.trimmed) messages.push(riskStateTrimmedAlert(decision.risk.trimmed, ctx));
  if (decision.skipped?.startsWith("paused by")) messages.push(pausedEntryAlert(decision.skipped, ctx));
  return messages;
}

/**
 * Sends what the account's outbox holds, oldest first: each alert is leased (so no other delivery
 * sends it meanwhile), published, then removed. An alert the service refuses for good
 * (AlertRefusedError) is set aside as a dead letter and the delivery goes on with the next. Any
 * other failure (SNS down, throttled, unreachable) gives the lease back, counts the attempt, and
 * stops the delivery (the order is kept and no time is spent on the rest); an alert tried
 * MAX_ALERT_ATTEMPTS times is set aside too. A failure never undoes or repeats a trade.
 */
export async function deliverAlerts(deps: AlertDeps, accountId: string): Promise<Delivery> {
  const { outbox, alerts, logger, now } = deps;
  let sent = 0;
  let setAside = 0;
  const counts = (failed: number) => ({ sent, failed, ...(setAside ? { setAside } : {}) });
  try {
    for (const alert of await outbox.pendingAlerts(accountId, BATCH)) {
      if (!(await outbox.leaseAlert(accountId, alert, now(), ALERT_LEASE_MS))) continue;
      try {
        await alerts.publish(alert);
      } catch (error) {
        const attempts = (alert.attempts ?? 0) + 1;
        const why = cutText(
          error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          1_000,
        );
        if (error instanceof AlertRefusedError || attempts >= MAX_ALERT_ATTEMPTS) {
          const reason =
            error instanceof AlertRefusedError ? why : `not sent after ${attempts} attempts: ${why}`;
          logger.error("Alert set aside as a dead letter (npm run status lists it)", {
            alertId: alert.id,
            reason,
          });
          await outbox.setAsideAlert(accountId, alert, reason, now());
          setAside++;
          if (error instanceof AlertRefusedError) continue;
          return counts(0);
        }
        if (error instanceof AlertServiceUnavailableError) {
          // Not the alert's fault: every alert stays queued as it was, no attempt counted; the delivery stops.
          logger.error(
            error.kind === "throttled"
              ? "Alert service throttled; every alert stays in the outbox for the next delivery"
              : "Alert service fault (not the alert's): delivery stopped, every alert stays in the outbox",
            { alertId: alert.id, error: why },
          );
          await outbox.releaseAlert(accountId, alert, false).catch(() => undefined);
          return { ...counts(1), blocked: why };
        }
        logger.error("Alert not published; it stays in the outbox", {
          alertId: alert.id,
          attempts,
          error: why,
        });
        await outbox.releaseAlert(accountId, alert).catch(() => undefined);
        return counts(1);
      }
      sent++;
      await outbox.alertSent(accountId, alert);
    }
  } catch (error) {
    logger.error("Could not read or update the alert outbox", { error: String(error) });
    return counts(1);
  }
  return counts(0);
}

/**
 * Queues the failure alert of a candle once, however often the cycle is retried, then delivers
 * the outbox. When the store itself is down (it failed this cycle, or queueing fails) the alert is
 * published directly (telling people beats staying silent; it may then come twice, with one alertId).
 */
export async function alertFailureOnce(
  deps: AlertDeps,
  pair: { accountId: string; symbol: string; timeframe: Timeframe },
  candleTime: number,
  candleClose: number,
  error: { type: string; message: string; retryable: boolean },
  storeDown = false,
): Promise<Delivery> {
  const { accountId, symbol, timeframe } = pair;
  const alert = failureAlert(accountId, symbol, timeframe, candleTime, candleClose, error);
  try {
    if (storeDown) throw new Error("the store failed this cycle");
    await withinMs(
      deps.outbox.queueAlertOnce(accountId, "FAILURE", symbol, timeframe, candleTime, alert),
      QUEUE_WAIT_MS,
      () => new Error(`queueing the failure alert took more than ${QUEUE_WAIT_MS} ms`),
    );
  } catch (queueError) {
    deps.logger.warn("Could not queue the failure alert; sending it directly", { error: String(queueError) });
    try {
      await deps.alerts.publish(alert);
      return { sent: 1, failed: 0 };
    } catch (publishError) {
      deps.logger.error("Failure alert not published", { alertId: alert.id, error: String(publishError) });
      return { sent: 0, failed: 1 };
    }
  }
  return deliverAlerts(deps, accountId);
}
