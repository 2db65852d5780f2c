import { type Decimal, dec } from "../money/decimal.ts";

/** A pause after K stop exits within the last L candles, of one pair or of the whole account. */
export interface StopLossGuard {
  readonly stops: number;
  readonly lookbackCandles: number;
  readonly pauseCandles: number;
  readonly scope: "pair" | "account";
}

/** A pause when equity falls more than `pct` % below its peak of the last L candles. */
export interface MaxDrawdownGuard {
  readonly pct: Decimal;
  readonly lookbackCandles: number;
  readonly pauseCandles: number;
}

/** Which protections are on (absent: off); each only ever blocks new entries, never an exit. */
export interface Protections {
  /** No new entry on a pair at its exit's close nor at the next N closes. */
  readonly cooldownCandles?: number | undefined;
  readonly stopLossGuard?: StopLossGuard | undefined;
  readonly maxDrawdown?: MaxDrawdownGuard | undefined;
  /** No new entry for the rest of the UTC day once the day's loss passes `pct` % of its opening equity. */
  readonly dailyLossPct?: Decimal | undefined;
}

/** The trailing stop: once the close has gained `activationPct` % over the entry, the stop follows the highest close by `distancePct` %. */
export interface TrailingStop {
  readonly activationPct: Decimal;
  readonly distancePct: Decimal;
}

/** An account's risk controls and fill model; every one off by default, so results move only when asked. */
export interface RiskSettings {
  readonly protections: Protections;
  readonly trailingStop?: TrailingStop | undefined;
  /** Size an entry to lose this % of equity at its stop (capped by the stake fraction and the cash); strategies without a stop keep the stake fraction. */
  readonly riskPerTradePct?: Decimal | undefined;
  /** Basis points against the trader on every market-like fill (entries, stops, signal exits); take-profits fill at their target. */
  readonly slippageBps: Decimal;
}

export const NO_RISK_CONTROLS: RiskSettings = Object.freeze({
  protections: Object.freeze({}),
  slippageBps: dec(0),
});

export const protectionsOn = (risk: RiskSettings): boolean =>
  Object.values(risk.protections).some((value) => value !== undefined);
