import { ConfigurationError } from "../errors.ts";
import { type Decimal, dec } from "../money/decimal.ts";
import { NO_RISK_CONTROLS, type Protections, type RiskSettings } from "./risk-settings.ts";

/**
 * Risk settings as people write them (cdk.json's `risk`, a watchlist entry's `risk`, a backtest's
 * --risk), and as cycle records keep them:
 * {"slippageBps": 5, "trailingStop": {"activationPct": 2, "distancePct": 1}, "riskPerTradePct": 1,
 *  "protections": {"cooldownCandles": 2, "stopLossGuard": {"stops": 3, "lookbackCandles": 24,
 *  "pauseCandles": 12, "scope": "pair"}, "maxDrawdown": {"pct": 10, "lookbackCandles": 48,
 *  "pauseCandles": 24}, "dailyLossPct": 3}}. Anything absent is off.
 */
const KEYS = ["slippageBps", "trailingStop", "riskPerTradePct", "protections"];
const PROTECTION_KEYS = ["cooldownCandles", "stopLossGuard", "maxDrawdown", "dailyLossPct"];

type Json = Record<string, unknown>;

function object(value: unknown, at: string, keys: readonly string[], example: string): Json {
  const parsed = typeof value === "string" ? parseJson(value, at) : value;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new ConfigurationError(`${at} must be an object such as ${example}`);
  const unknown = Object.keys(parsed).filter((k) => !keys.includes(k));
  if (unknown.length)
    throw new ConfigurationError(`${at}: unknown key(s) ${unknown.join(", ")}; known: ${keys.join(", ")}`);
  return parsed as Json;
}

function parseJson(text: string, at: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigurationError(`${at} is not JSON: ${text.slice(0, 40)}`);
  }
}

/** A number (or its text) as a decimal; undefined when it is neither. */
function decimalOf(value: unknown): Decimal | undefined {
  try {
    return typeof value === "number" || typeof value === "string" ? dec(value) : undefined;
  } catch {
    return undefined;
  }
}

function percent(value: unknown, at: string, min: number, max: number): Decimal {
  const parsed = decimalOf(value);
  if (!parsed || parsed.lte(min) || parsed.gt(max))
    throw new ConfigurationError(
      `${at} must be a number above ${min} and at most ${max}, got ${JSON.stringify(value)}`,
    );
  return parsed;
}

function count(value: unknown, at: string, max = 10_000): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max)
    throw new ConfigurationError(
      `${at} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`,
    );
  return value;
}

function protections(value: unknown, at: string): Protections {
  const p = object(value, at, PROTECTION_KEYS, '{"cooldownCandles": 2, "dailyLossPct": 3}');
  const guard =
    p.stopLossGuard === undefined
      ? undefined
      : object(
          p.stopLossGuard,
          `${at}.stopLossGuard`,
          ["stops", "lookbackCandles", "pauseCandles", "scope"],
          '{"stops": 3, "lookbackCandles": 24, "pauseCandles": 12}',
        );
  const drawdown =
    p.maxDrawdown === undefined
      ? undefined
      : object(
          p.maxDrawdown,
          `${at}.maxDrawdown`,
          ["pct", "lookbackCandles", "pauseCandles"],
          '{"pct": 10, "lookbackCandles": 48, "pauseCandles": 24}',
        );
  const scope = guard?.scope ?? "pair";
  if (scope !== "pair" && scope !== "account")
    throw new ConfigurationError(
      `${at}.stopLossGuard.scope must be "pair" or "account", got ${JSON.stringify(scope)}`,
    );
  return {
    ...(p.cooldownCandles === undefined
      ? {}
      : { cooldownCandles: count(p.cooldownCandles, `${at}.cooldownCandles`) }),
    ...(guard
      ? {
          stopLossGuard: {
            stops: count(guard.stops, `${at}.stopLossGuard.stops`, 1000),
            lookbackCandles: count(guard.lookbackCandles, `${at}.stopLossGuard.lookbackCandles`),
            pauseCandles: count(guard.pauseCandles, `${at}.stopLossGuard.pauseCandles`),
            scope,
          },
        }
      : {}),
    ...(drawdown
      ? {
          maxDrawdown: {
            pct: percent(drawdown.pct, `${at}.maxDrawdown.pct`, 0, 100),
            lookbackCandles: count(drawdown.lookbackCandles, `${at}.maxDrawdown.lookbackCandles`),
            pauseCandles: count(drawdown.pauseCandles, `${at}.maxDrawdown.pauseCandles`),
          },
        }
      : {}),
    ...(p.dailyLossPct === undefined
      ? {}
      : { dailyLossPct: percent(p.dailyLossPct, `${at}.dailyLossPct`, 0, 100) }),
  };
}

/** Checks risk settings; every error names the key (`at`: where they came from, e.g. tradingBot.risk). */
export function parseRiskSettings(value: unknown, at: string): RiskSettings {
  const r = object(value, at, KEYS, '{"slippageBps": 5, "protections": {"cooldownCandles": 2}}');
  const trailing =
    r.trailingStop === undefined
      ? undefined
      : object(
          r.trailingStop,
          `${at}.trailingStop`,
          ["activationPct", "distancePct"],
          '{"activationPct": 2, "distancePct": 1}',
        );
  return {
    protections: r.protections === undefined ? {} : protections(r.protections, `${at}.protections`),
    ...(trailing
      ? {
          trailingStop: {
            activationPct: percent(trailing.activationPct, `${at}.trailingStop.activationPct`, 0, 1000),
            distancePct: percent(trailing.distancePct, `${at}.trailingStop.distancePct`, 0, 99),
          },
        }
      : {}),
    ...(r.riskPerTradePct === undefined
      ? {}
      : { riskPerTradePct: percent(r.riskPerTradePct, `${at}.riskPerTradePct`, 0, 100) }),
    slippageBps:
      r.slippageBps === undefined
        ? NO_RISK_CONTROLS.slippageBps
        : basisPoints(r.slippageBps, `${at}.slippageBps`),
  };
}

/** Basis points of slippage, 0 to 1000, or a one-line error naming `at`. */
export function basisPoints(value: unknown, at: string): Decimal {
  const parsed = decimalOf(value);
  if (!parsed || parsed.lt(0) || parsed.gt(1000))
    throw new ConfigurationError(
      `${at} must be a number of basis points from 0 to 1000, got ${JSON.stringify(value)}`,
    );
  return parsed;
}

/** The settings as JSON, only what is on, in one order (so equal settings read equal in cycle records); undefined when all is off. */
export function riskSettingsJson(risk: RiskSettings): string | undefined {
  const p = risk.protections;
  const protectionsJson = {
    ...(p.cooldownCandles ? { cooldownCandles: p.cooldownCandles } : {}),
    ...(p.stopLossGuard ? { stopLossGuard: { ...p.stopLossGuard } } : {}),
    ...(p.maxDrawdown ? { maxDrawdown: { ...p.maxDrawdown, pct: Number(p.maxDrawdown.pct.toFixed()) } } : {}),
    ...(p.dailyLossPct ? { dailyLossPct: Number(p.dailyLossPct.toFixed()) } : {}),
  };
  const json = {
    ...(risk.slippageBps.gt(0) ? { slippageBps: Number(risk.slippageBps.toFixed()) } : {}),
    ...(risk.trailingStop
      ? {
          trailingStop: {
            activationPct: Number(risk.trailingStop.activationPct.toFixed()),
            distancePct: Number(risk.trailingStop.distancePct.toFixed()),
          },
        }
      : {}),
    ...(risk.riskPerTradePct ? { riskPerTradePct: Number(risk.riskPerTradePct.toFixed()) } : {}),
    ...(Object.keys(protectionsJson).length ? { protections: protectionsJson } : {}),
  };
  return Object.keys(json).length ? JSON.stringify(json) : undefined;
}
