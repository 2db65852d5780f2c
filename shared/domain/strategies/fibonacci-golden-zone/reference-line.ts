import type { Signal } from "../signal.ts";

/** A float as Python's repr prints it (json.dumps uses repr), so our lines match the reference's. */
function pythonFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e16 || magnitude < 1e-4) {
    const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
    const sign = exponent.startsWith("-") ? "-" : "+";
    const digits = exponent.replace(/^[+-]/, "").padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(value);
  return text.includes(".") ? text : `${text}.0`;
}

/** One signal as a line of the reference's JSONL format, key order and number format included. */
export function signalToJsonl(openTime: number, signal: Signal): string {
  const t = `${new Date(openTime).toISOString().slice(0, 19)}Z`;
  const parts = [`"t": "${t}"`, `"action": "${signal.action}"`, `"trend": "${signal.trend}"`];
  parts.push(`"price": ${pythonFloat(signal.price)}`);
  if (signal.levels) {
    const levels = [`"high": ${pythonFloat(signal.levels.high)}`, `"low": ${pythonFloat(signal.levels.low)}`];
    for (const [key, value] of Object.entries(signal.levels.ratios))
      levels.push(`"${key}": ${pythonFloat(value)}`);
    parts.push(`"levels": {${levels.join(", ")}}`);
  }
  if (signal.confirmations)
    parts.push(`"confirmations": [${signal.confirmations.map((c) => `"${c}"`).join(", ")}]`);
  if (signal.plan) {
    parts.push(`"entry": ${pythonFloat(signal.plan.entry)}`);
    parts.push(`"stop_loss": ${pythonFloat(signal.plan.stopLoss)}`);
    parts.push(`"take_profit_1": ${pythonFloat(signal.plan.takeProfit1)}`);
    parts.push(`"take_profit_2": ${pythonFloat(signal.plan.takeProfit2)}`);
  }
  return `{${parts.join(", ")}}`;
}
