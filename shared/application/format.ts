import { type Decimal, dec, roundTo, stepPlaces } from "../domain/money/decimal.ts";

/**
 * How money, prices, quantities, percentages and times read for people: one formatter for the
 * terminal, the HTML report, `npm run status` and the alerts (exact values stay in JSON).
 */

/** A duration for people: days and hours ("34d 20h"), hours and minutes under a day ("5h 30m"). */
export function duration(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return "n/a";
  const minutes = Math.round(hours * 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return d > 0 ? `${d}d ${h}h` : `${h}h ${m}m`;
}

/** A quote amount in prose: 2 decimals, rounded half up (−49.778… → −49.78). */
export function money(value: Decimal | number | string): string {
  return roundTo(dec(String(value)), 2).toFixed(2);
}

/** The same, signed: +59.34, −49.78. */
export function signedMoney(value: Decimal | number | string): string {
  const text = money(value);
  return text.startsWith("-") ? text : `+${text}`;
}

/** A price to the symbol's tick (0.01 → 606.97). */
export function price(value: Decimal | number | string, tick: string): string {
  return roundTo(dec(String(value)), stepPlaces(tick)).toFixed(stepPlaces(tick));
}

/** A quantity to the symbol's lot step (0.001 → 1.567). */
export function quantity(value: Decimal | number | string, step: string): string {
  return dec(String(value)).toFixed(stepPlaces(step));
}

/** A percentage already in percent, signed, 2 decimals: +4.02 %, −0.51 %. */
export function percent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "n/a";
  const text = (Math.round(value * 100) / 100).toFixed(2);
  return `${text.startsWith("-") ? text : `+${text}`} %`;
}

/** `part` as a percentage of `whole`, exact then rounded half up, signed: −4.98 % ("n/a" of nothing). */
export function percentOf(part: Decimal, whole: Decimal): string {
  if (!whole.gt(0)) return "n/a";
  return `${signedMoney(part.div(whole).times(100))} %`;
}

/** A share (a fraction of 1) as a percent with two decimals, rounded half up, unsigned: a weight. */
export function weightPercent(fraction: Decimal): string {
  return fraction.times(100).round(2, "halfUp").toFixed(2);
}

/** A time as people read it: 2025-05-18 20:00 UTC. */
export function utcTime(time: number | string | null | undefined): string {
  if (time === null || time === undefined) return "—";
  const ms = typeof time === "number" ? time : Date.parse(time);
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
