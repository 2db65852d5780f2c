import { utcTime } from "../../application/format.ts";
import type { AlertData } from "./channel-messages.ts";

/** The fields of CloudWatch's alarm notification (the SNS message body, JSON) that people read. */
interface AlarmNotification {
  readonly AlarmName: string;
  readonly AlarmDescription?: string | null;
  readonly NewStateValue: string;
  readonly OldStateValue?: string;
  readonly NewStateReason?: string;
  readonly StateChangeTime?: string;
  readonly Region?: string;
}

function parse(message: string): AlarmNotification | undefined {
  if (!message.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(message) as Partial<AlarmNotification>;
    return typeof value.AlarmName === "string" && typeof value.NewStateValue === "string"
      ? (value as AlarmNotification)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A CloudWatch alarm's notification (from the operations topic) as an alert for people, or
 * undefined when the message is not one. Its id (alarm, state, time) drops a repeated delivery.
 */
export function alarmAlert(message: string): AlertData | undefined {
  const alarm = parse(message);
  if (!alarm) return undefined;
  const time = alarm.StateChangeTime ? Date.parse(alarm.StateChangeTime.replace(/\+0000$/, "Z")) : Number.NaN;
  const when = Number.isNaN(time) ? (alarm.StateChangeTime ?? "unknown") : utcTime(time);
  const state = alarm.NewStateValue;
  return {
    id: `alarm/${alarm.AlarmName}/${state}/${alarm.StateChangeTime ?? ""}`,
    subject: `${state}: ${alarm.AlarmName}`.slice(0, 99),
    message: [
      alarm.AlarmDescription || `The alarm ${alarm.AlarmName} is ${state}.`,
      `State: ${alarm.OldStateValue ? `${alarm.OldStateValue} → ` : ""}${state}`,
      `Since: ${when}`,
      ...(alarm.NewStateReason ? [`Why: ${alarm.NewStateReason}`] : []),
      ...(alarm.Region ? [`Region: ${alarm.Region}`] : []),
      state === "ALARM"
        ? "What to do: docs/operations.md lists each alarm, what it means and what to check."
        : "",
    ]
      .filter((line) => line !== "")
      .join("\n"),
    event: "alarm",
    symbol: "",
    timeframe: "",
    action: state,
  };
}
