import { ACCOUNT_ID, type WatchEntry } from "../../application/cycle/index.ts";
import { SIGNALS_ACCOUNT } from "../../application/ports/alert-outbox.ts";
import { ConfigurationError } from "../../domain/errors.ts";
import {
  isScheduledTimeframe,
  SCHEDULED_TIMEFRAMES,
  type ScheduledTimeframe,
} from "../../domain/market/candle-schedule.ts";
import { SYMBOL_PATTERN } from "../../domain/market/timeframe.ts";
import { configureStrategy } from "../../domain/strategies/configure.ts";
import { DEFAULT_STRATEGY, findStrategy } from "../../domain/strategies/registry.ts";
import { parseRiskSettings } from "../../domain/trading/risk-config.ts";

/** One scheduled (symbol, timeframe) of the watchlist, with its strategy, account and mode. */
export interface WatchedPair extends WatchEntry {
  readonly timeframe: ScheduledTimeframe;
  /** The parameters as configured (the strategy's defaults fill the rest). */
  readonly params: Readonly<Record<string, number>>;
  /** The entry's own risk settings as written (they replace tradingBot.risk for its pairs). */
  readonly riskJson?: unknown;
}

// "optimized": the figures npm run optimize gives with an entry, kept for people; nothing reads them.
const ENTRY_KEYS = ["symbol", "timeframes", "strategy", "params", "account", "mode", "risk", "optimized"];

/**
 * Validates the watchlist: entries {symbol, timeframes, strategy?, params?, account?, mode?}, one
 * per (symbol, strategy) as people write them, expanded to one pair per timeframe. An account
 * trades one strategy per (symbol, timeframe) (its position is that pair's); alert-only entries
 * (`mode: "signals"`) touch no account. Anything wrong names the entry and the key (`where`: how
 * the list is called where it came from: tradingBot.watchlist, or TRADING_BOT.watchlist in the function).
 */
export function parseWatchlist(
  value: unknown,
  defaultAccount: string,
  where = "tradingBot.watchlist",
): WatchedPair[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigurationError(
      `${where} must be a non-empty list like [{"symbol":"BNBUSDT","timeframes":["4h"]}]`,
    );
  }
  const pairs: WatchedPair[] = [];
  const owners = new Map<string, string>();
  value.forEach((raw: Record<string, unknown>, i) => {
    const at = `${where}[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      throw new ConfigurationError(`${at} must be an object`);
    const unknown = Object.keys(raw).filter((k) => !ENTRY_KEYS.includes(k));
    if (unknown.length)
      throw new ConfigurationError(
        `${at}: unknown key(s) ${unknown.join(", ")}; known: ${ENTRY_KEYS.join(", ")}`,
      );
    const {
      symbol,
      timeframes,
      strategy = DEFAULT_STRATEGY,
      params = {},
      account = defaultAccount,
      mode = "trade",
    } = raw;
    if (typeof symbol !== "string" || !SYMBOL_PATTERN.test(symbol)) {
      throw new ConfigurationError(
        `${at}.symbol: "${String(symbol)}" is not a Binance symbol (capitals and digits, e.g. BNBUSDT)`,
      );
    }
    if (!Array.isArray(timeframes) || timeframes.length === 0) {
      throw new ConfigurationError(`${at}.timeframes: ${symbol} needs a non-empty list, e.g. ["4h"]`);
    }
    if (mode !== "trade" && mode !== "signals")
      throw new ConfigurationError(`${at}.mode must be "trade" or "signals", got ${JSON.stringify(mode)}`);
    if (typeof account !== "string" || !ACCOUNT_ID.test(account))
      throw new ConfigurationError(
        `${at}.account must be 1-64 letters, digits, "-" or "_", got ${JSON.stringify(account)}`,
      );
    if (mode === "signals" && raw.account !== undefined)
      throw new ConfigurationError(`${at}.account: an alert-only entry (mode "signals") trades no account`);
    if (mode === "trade" && account === SIGNALS_ACCOUNT)
      throw new ConfigurationError(
        `${at}.account: "${SIGNALS_ACCOUNT}" is reserved for the alerts of alert-only entries`,
      );
    if (typeof strategy !== "string")
      throw new ConfigurationError(`${at}.strategy must be a strategy's name`);
    if (typeof params !== "object" || params === null || Array.isArray(params))
      throw new ConfigurationError(`${at}.params must be an object such as {"maPeriod": 100}`);
    const given = params as Record<string, number>;
    const configured = configureStrategy(
      findStrategy(strategy, `${at}.strategy`),
      given,
      `${at}.params of ${strategy}`,
    );
    if (mode === "signals" && raw.risk !== undefined)
      throw new ConfigurationError(`${at}.risk: an alert-only entry (mode "signals") trades no account`);
    const risk = raw.risk === undefined ? undefined : parseRiskSettings(raw.risk, `${at}.risk`);
    for (const timeframe of timeframes) {
      if (typeof timeframe !== "string" || !isScheduledTimeframe(timeframe)) {
        throw new ConfigurationError(
          `${at}.timeframes: unknown timeframe "${String(timeframe)}" for ${symbol}; use one of ${SCHEDULED_TIMEFRAMES.join(", ")}${timeframe === "3d" ? " (3d has no calendar rule: backtest it, or run it by hand)" : ""}`,
        );
      }
      const owner = mode === "trade" ? `account ${account}` : `alert-only ${strategy}`;
      const key = `${owner}|${symbol} ${timeframe}`;
      if (owners.has(key)) {
        throw new ConfigurationError(
          mode === "trade"
            ? `${at}: ${symbol} ${timeframe} is traded twice by account ${account} (${owners.get(key)} and ${strategy}); an account trades one strategy per pair: give one of them its own "account"`
            : `${at}: ${symbol} ${timeframe} is listed twice for alerts of ${strategy}`,
        );
      }
      owners.set(key, strategy);
      const accountId = mode === "trade" ? account : SIGNALS_ACCOUNT;
      pairs.push({
        symbol,
        timeframe,
        strategy: configured,
        params: given,
        accountId,
        mode,
        ...(risk ? { risk, riskJson: raw.risk } : {}),
      });
    }
  });
  return pairs;
}

/** The watchlist as the function's settings (TRADING_BOT) carry it, as cdk.json writes it. */
export function watchlistJson(pairs: readonly WatchedPair[], defaultAccount: string): string {
  const entries = new Map<string, Record<string, unknown>>();
  for (const p of pairs) {
    const key = JSON.stringify([p.symbol, p.strategy.name, p.params, p.accountId, p.mode, p.riskJson]);
    const entry = entries.get(key) ?? {
      symbol: p.symbol,
      timeframes: [],
      ...(p.strategy.name === DEFAULT_STRATEGY ? {} : { strategy: p.strategy.name }),
      ...(Object.keys(p.params).length ? { params: p.params } : {}),
      ...(p.mode === "trade" && p.accountId !== defaultAccount ? { account: p.accountId } : {}),
      ...(p.mode === "signals" ? { mode: "signals" } : {}),
      ...(p.riskJson === undefined ? {} : { risk: p.riskJson }),
    };
    (entry.timeframes as string[]).push(p.timeframe);
    entries.set(key, entry);
  }
  return JSON.stringify([...entries.values()]);
}

/** What the schedule sends for a pair (and `npm start` alike), besides the scheduled time. */
export function scheduledEvent(pair: WatchedPair) {
  return pair.mode === "signals"
    ? {
        symbol: pair.symbol,
        timeframe: pair.timeframe,
        strategy: pair.strategy.name,
        mode: "signals" as const,
      }
    : {
        symbol: pair.symbol,
        timeframe: pair.timeframe,
        accountId: pair.accountId,
        strategy: pair.strategy.name,
      };
}
