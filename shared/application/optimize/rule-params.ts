import type { Timeframe } from "../../domain/market/timeframe.ts";
import { dec } from "../../domain/money/decimal.ts";
import type { ParamSpec } from "../../domain/strategies/strategy.ts";
import type { CycleConfig } from "../cycle/index.ts";

/** One point of a search: each parameter (the strategy's, or a rule: stake, risk.*) with its value. */
export type Setting = Readonly<Record<string, number>>;

/**
 * The account's rules an optimizer may search beside the strategy's parameters: the stake of the
 * pair's timeframe and the risk controls a trader chooses (not the fee or the slippage, which are
 * the market's). Named `stake` and `risk.<name>`.
 */
export const RULE_PARAMS: Readonly<Record<string, ParamSpec>> = {
  stake: { type: "number", min: 0.001, max: 1, doc: "the share of equity an entry stakes on this timeframe" },
  "risk.riskPerTradePct": {
    type: "number",
    min: 0.01,
    max: 100,
    doc: "risk per trade, % of equity lost at the stop",
  },
  "risk.trailingActivationPct": {
    type: "number",
    min: 0.01,
    max: 1000,
    doc: "the trailing stop starts this % above the entry",
  },
  "risk.trailingDistancePct": {
    type: "number",
    min: 0.01,
    max: 99,
    doc: "the trailing stop's distance below the highest close, %",
  },
  "risk.cooldownCandles": {
    type: "integer",
    min: 1,
    max: 10_000,
    doc: "candles without an entry on a pair after its exit",
  },
};

/** An account's rules only a portfolio search can move (one pair holds one position). */
export const PORTFOLIO_RULE_PARAMS: Readonly<Record<string, ParamSpec>> = {
  maxOpenPositions: { type: "integer", min: 1, max: 100, doc: "the account's position slots" },
};

const isRuleParam = (name: string) =>
  Object.hasOwn(RULE_PARAMS, name) || Object.hasOwn(PORTFOLIO_RULE_PARAMS, name);

/** A setting split in two: the strategy's parameters, and the rules' (see RULE_PARAMS). */
export function splitSetting(setting: Setting): { strategy: Setting; rules: Setting } {
  const strategy: Record<string, number> = {};
  const rules: Record<string, number> = {};
  for (const [name, value] of Object.entries(setting)) (isRuleParam(name) ? rules : strategy)[name] = value;
  return { strategy, rules };
}

/**
 * The configuration with a setting's rules in force. A trailing stop needs both its numbers: one
 * given alone completes the configured trailing stop, or, without one, is refused (RangeError).
 */
export function withRules(config: CycleConfig, rules: Setting, timeframe: Timeframe): CycleConfig {
  if (Object.keys(rules).length === 0) return config;
  const risk = config.rules.risk;
  const activation = rules["risk.trailingActivationPct"];
  const distance = rules["risk.trailingDistancePct"];
  let trailingStop = risk.trailingStop;
  if (activation !== undefined || distance !== undefined) {
    const a =
      activation ?? (risk.trailingStop ? Number(risk.trailingStop.activationPct.toFixed()) : undefined);
    const d = distance ?? (risk.trailingStop ? Number(risk.trailingStop.distancePct.toFixed()) : undefined);
    if (a === undefined || d === undefined)
      throw new RangeError(
        "a trailing stop needs both risk.trailingActivationPct and risk.trailingDistancePct (or one in the configuration's risk)",
      );
    trailingStop = { activationPct: dec(a), distancePct: dec(d) };
  }
  const perTrade = rules["risk.riskPerTradePct"];
  const cooldown = rules["risk.cooldownCandles"];
  const stake = rules.stake;
  const slots = rules.maxOpenPositions;
  return {
    ...config,
    rules: {
      ...config.rules,
      ...(slots === undefined ? {} : { maxOpenPositions: slots }),
      ...(stake === undefined
        ? {}
        : { stakeFractions: { ...config.rules.stakeFractions, [timeframe]: dec(stake) } }),
      risk: {
        ...risk,
        ...(trailingStop ? { trailingStop } : {}),
        ...(perTrade === undefined ? {} : { riskPerTradePct: dec(perTrade) }),
        protections: {
          ...risk.protections,
          ...(cooldown === undefined ? {} : { cooldownCandles: cooldown }),
        },
      },
    },
  };
}
