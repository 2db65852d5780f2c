import { ACCOUNT_ID } from "../../application/cycle/index.ts";
import { SIGNALS_ACCOUNT } from "../../application/ports/alert-outbox.ts";
import { ConfigurationError } from "../../domain/errors.ts";
import { SYMBOL_PATTERN } from "../../domain/market/timeframe.ts";
import { type Decimal, dec, ZERO } from "../../domain/money/decimal.ts";
import {
  type Basket,
  closingHours,
  REBALANCE_TIMEFRAMES,
  type RebalanceTimeframe,
  WEIGHTINGS,
  type Weighting,
} from "../../domain/rebalance/basket.ts";
import { basisPoints } from "../../domain/trading/risk-config.ts";

/**
 * Legs one rebalance may trade: DynamoDB takes 100 items a transaction, and a rebalance writes its
 * record, its pair's last close, the account and its alert beside one item per leg.
 */
export const MAX_LEGS = 96;

const KEYS = [
  "accountId",
  "symbols",
  "weighting",
  "weights",
  "cashPct",
  "lookbackDays",
  "timeframe",
  "every",
  "hourUtc",
  "bandPct",
  "initialBalance",
  "feeRate",
  "slippageBps",
];

/** What the rebalancing accounts are checked against: the account defaults and who else trades. */
export interface RebalancingContext {
  readonly initialBalance: Decimal;
  readonly feeRate: Decimal;
  /** The account-wide risk settings' slippage (tradingBot.risk.slippageBps). */
  readonly slippageBps: Decimal;
  readonly quoteAsset: string;
  /** No entry below this notional (the rules' minimum), whatever the exchange allows. */
  readonly minNotional: Decimal;
  /** The accounts the watchlist trades: a rebalancing account is no one else's. */
  readonly tradingAccounts: ReadonlySet<string>;
}

const say = (at: string, what: string, value: unknown): never => {
  throw new ConfigurationError(`${at} ${what}, got ${JSON.stringify(value) ?? String(value)}`);
};

function percent(value: unknown, at: string, max = 100): Decimal {
  let d: Decimal | undefined;
  try {
    d = typeof value === "number" || typeof value === "string" ? dec(String(value)) : undefined;
  } catch {
    d = undefined;
  }
  if (!d || d.lt(0) || d.gt(max)) return say(at, `must be a percent from 0 to ${max}`, value);
  return d;
}

function whole(value: unknown, at: string, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
    return say(at, `must be a whole number from ${min} to ${max}`, value);
  return value as number;
}

/** The hour the schedule counts from: one at which the legs' candles close (1d and 1w close at 00:00 only). */
function hourOf(value: unknown, at: string, timeframe: RebalanceTimeframe): number {
  const hour = whole(value ?? 0, at, 0, 23);
  const hours = closingHours(timeframe);
  if (!hours.includes(hour))
    throw new ConfigurationError(
      `${at} ${hour}: ${timeframe} candles close at ${hours.map((h) => `${String(h).padStart(2, "0")}:00`).join(", ")} UTC only; for a daily rebalance at ${String(hour).padStart(2, "0")}:00 UTC use timeframe 1h with every 24 (weekly: 168)`,
    );
  return hour;
}

/** One rebalancing account, every key checked and named when wrong. */
function parseBasket(value: unknown, at: string, ctx: RebalancingContext): Basket {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return say(at, "must be an object {accountId, symbols, weighting, …}", value);
  const input = value as Record<string, unknown>;
  const unknown = Object.keys(input).filter((k) => !KEYS.includes(k));
  if (unknown.length)
    throw new ConfigurationError(`unknown key(s) in ${at}: ${unknown.join(", ")}; known: ${KEYS.join(", ")}`);
  const { accountId, symbols, weighting, timeframe = "1d" } = input;
  if (typeof accountId !== "string" || !ACCOUNT_ID.test(accountId))
    return say(`${at}.accountId`, 'must be 1-64 letters, digits, "-" or "_"', accountId);
  if (accountId === SIGNALS_ACCOUNT || ctx.tradingAccounts.has(accountId))
    return say(
      `${at}.accountId`,
      "must name an account no watchlist entry trades (its balances are the basket's)",
      accountId,
    );
  if (!Array.isArray(symbols) || symbols.length === 0)
    return say(`${at}.symbols`, 'must be a non-empty list of symbols such as "BTCUSDT"', symbols);
  if (symbols.length > MAX_LEGS)
    throw new ConfigurationError(
      `${at}.symbols holds ${symbols.length} symbols, more than the ${MAX_LEGS} one rebalance can commit (DynamoDB's 100 items a transaction, 4 of them the record, the pair, the account and the alert)`,
    );
  symbols.forEach((s, i) => {
    if (typeof s !== "string" || !SYMBOL_PATTERN.test(s))
      say(`${at}.symbols[${i}]`, 'must be a Binance symbol in capitals such as "BTCUSDT"', s);
    if (!(s as string).endsWith(ctx.quoteAsset) || s === ctx.quoteAsset)
      say(`${at}.symbols[${i}]`, `must be quoted in ${ctx.quoteAsset}, the account's cash`, s);
    if (symbols.indexOf(s) !== i) say(`${at}.symbols[${i}]`, "is listed twice", s);
  });
  const legs = symbols as string[];
  if (!WEIGHTINGS.includes(weighting as Weighting))
    return say(`${at}.weighting`, `must be one of ${WEIGHTINGS.join(", ")}`, weighting);
  if (!REBALANCE_TIMEFRAMES.includes(timeframe as RebalanceTimeframe))
    return say(`${at}.timeframe`, `must be one of ${REBALANCE_TIMEFRAMES.join(", ")}`, timeframe);
  const w = weighting as Weighting;
  const only = (key: string, what: Weighting) => {
    if (input[key] !== undefined && w !== what)
      throw new ConfigurationError(`${at}.${key} is for the ${what} weighting only (this one is ${w})`);
  };
  only("weights", "fixed");
  only("lookbackDays", "inverse-volatility");
  if (w === "fixed" && input.cashPct !== undefined)
    throw new ConfigurationError(
      `${at}.cashPct is not for the fixed weighting: give the cash as ${at}.weights.cash`,
    );
  let weights: Record<string, Decimal> | undefined;
  if (w === "fixed") {
    const given = input.weights;
    if (typeof given !== "object" || given === null || Array.isArray(given))
      return say(`${at}.weights`, 'must map each symbol (and "cash") to its percent of equity', given);
    weights = {};
    for (const [key, pct] of Object.entries(given)) {
      if (key !== "cash" && !legs.includes(key))
        throw new ConfigurationError(`${at}.weights.${key} is not one of ${at}.symbols (${legs.join(", ")})`);
      weights[key] = percent(pct, `${at}.weights.${key}`);
    }
    for (const s of legs) if (!weights[s]) throw new ConfigurationError(`${at}.weights.${s} is missing`);
    const total = Object.values(weights).reduce((sum, p) => sum.plus(p), ZERO);
    if (!total.eq(100))
      throw new ConfigurationError(
        `${at}.weights add up to ${total.toFixed()} %, not 100 % (the symbols' and "cash")`,
      );
  }
  const cashPct = w === "fixed" ? (weights?.cash ?? ZERO) : percent(input.cashPct ?? 0, `${at}.cashPct`, 99);
  if (w === "inverse-volatility" && timeframe === "1w")
    throw new ConfigurationError(
      `${at}.timeframe 1w has no daily returns: inverse-volatility needs 1d or shorter`,
    );
  const initialBalance =
    input.initialBalance === undefined
      ? ctx.initialBalance
      : percent(input.initialBalance, `${at}.initialBalance`, 1e15);
  const basket: Basket = {
    accountId,
    symbols: legs,
    weighting: w,
    weights,
    cashPct,
    lookbackDays:
      w === "inverse-volatility" ? whole(input.lookbackDays ?? 30, `${at}.lookbackDays`, 2, 365) : 0,
    timeframe: timeframe as RebalanceTimeframe,
    every: whole(input.every ?? 1, `${at}.every`, 1, 10_000),
    hourUtc: hourOf(input.hourUtc, `${at}.hourUtc`, timeframe as RebalanceTimeframe),
    bandPct: percent(input.bandPct ?? 0, `${at}.bandPct`),
    initialBalance,
    feeRate: input.feeRate === undefined ? ctx.feeRate : percent(input.feeRate, `${at}.feeRate`, 0.1),
    slippageBps:
      input.slippageBps === undefined ? ctx.slippageBps : basisPoints(input.slippageBps, `${at}.slippageBps`),
  };
  // Each leg's share of the starting balance must be a trade the rules allow (inverse-volatility's is known at run time only).
  for (const s of legs) {
    const share =
      w === "fixed"
        ? (weights?.[s] ?? ZERO)
        : w === "equal"
          ? dec(100).minus(cashPct).div(legs.length)
          : undefined;
    if (share === undefined || share.eq(0)) continue;
    const notional = initialBalance.times(share).div(100);
    if (notional.lt(ctx.minNotional))
      throw new ConfigurationError(
        `${at}.${w === "fixed" ? `weights.${s}` : "symbols"}: ${s}'s ${share.round(4, "down").toFixed()} % of ${initialBalance.toFixed()} ${ctx.quoteAsset} is ${notional.round(2, "down").toFixed()} ${ctx.quoteAsset}, below the ${ctx.minNotional.toFixed()} ${ctx.quoteAsset} an order must reach`,
      );
  }
  return basket;
}

/** tradingBot.rebalancing: a list of rebalancing accounts, each account named once. */
export function parseRebalancing(value: unknown, at: string, ctx: RebalancingContext): Basket[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return say(at, "must be a list of rebalancing accounts", value);
  const baskets = value.map((v, i) => parseBasket(v, `${at}[${i}]`, ctx));
  baskets.forEach((b, i) => {
    if (baskets.findIndex((o) => o.accountId === b.accountId) !== i)
      throw new ConfigurationError(`${at}[${i}].accountId ${b.accountId} is another rebalancing account's`);
  });
  return baskets;
}
