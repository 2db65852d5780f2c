import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cycleConfigOf, parseSettings, type Settings } from "../../shared/adapters/config/settings.ts";
import type { WatchedPair } from "../../shared/adapters/config/watchlist.ts";
import type { PortfolioPair } from "../../shared/application/backtest/run-portfolio.ts";
import type { CycleConfig } from "../../shared/application/cycle/index.ts";
import type { SymbolFilters } from "../../shared/application/ports/market-data.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { UsageError } from "../cli-errors.ts";
import { type LocalConfig, readLocalConfig } from "../local/local-config.ts";
import { localPaths } from "../local/local-flags.ts";
import { candlesFromBinance, candlesFromCsv, filtersForCsv, quoteOf } from "./backtest-data.ts";
import { parseTime, withOverrides } from "./backtest-options.ts";

const STEP = /^\d+(\.\d+)?$/;

export interface PortfolioFlags {
  account?: string | undefined;
  watchlist?: string | undefined;
  "csv-dir"?: string | undefined;
  filters?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  stake?: string | undefined;
  [flag: string]: string | boolean | string[] | undefined;
}

/** The account to replay: its pairs (in the watchlist's order) and the deployed configuration. */
function portfolioSettings(
  flags: PortfolioFlags,
  local: LocalConfig,
  configFile: string,
): { accountId: string; pairs: readonly WatchedPair[]; config: CycleConfig } {
  if (flags.stake !== undefined)
    throw new UsageError(
      "--stake is one timeframe's; an account's stakes are tradingBot.stakeFractions (per timeframe) in the configuration",
    );
  let settings: Settings = local.settings;
  let source = configFile;
  if (flags.watchlist) {
    let entries: unknown;
    try {
      entries = JSON.parse(readFileSync(flags.watchlist, "utf8"));
    } catch (error) {
      throw new UsageError(
        `--watchlist ${flags.watchlist}: cannot read it as JSON (${(error as Error).message})`,
      );
    }
    const list = Array.isArray(entries) ? entries : (entries as { watchlist?: unknown })?.watchlist;
    try {
      settings = parseSettings({ ...settings.raw, watchlist: list }, `--watchlist ${flags.watchlist}`);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    source = flags.watchlist;
  }
  const trading = settings.pairs.filter((p) => p.mode === "trade");
  const accounts = [...new Set(trading.map((p) => p.accountId))];
  const accountId = flags.account ?? (accounts.length === 1 ? accounts[0] : undefined);
  if (!accountId)
    throw new UsageError(
      `${source} trades ${accounts.length} accounts (${accounts.join(", ")}): name one with --account`,
    );
  const pairs = trading.filter((p) => p.accountId === accountId);
  if (pairs.length === 0)
    throw new UsageError(
      `account ${accountId} has no pairs in ${source}; its accounts: ${accounts.join(", ") || "none"}`,
    );
  const config = withOverrides(cycleConfigOf(settings), flags, pairs[0]?.timeframe ?? "4h");
  for (const p of pairs) {
    if (!p.symbol.endsWith(config.quoteAsset) || p.symbol.length <= config.quoteAsset.length)
      throw new UsageError(
        `${p.symbol} ${p.timeframe} (account ${accountId}) is not quoted in ${config.quoteAsset}, the account's cash: an account trades pairs of one quote asset`,
      );
  }
  // The deployed configuration whole: the watchlist schedules every pair, as the fleet's function has it.
  return { accountId, pairs, config: { ...config, defaultAccountId: accountId, watchlist: settings.pairs } };
}

/** Each symbol's exchange filters from --filters (Binance's names), or Binance's exchangeInfo (cached). */
async function filtersOf(
  symbols: readonly string[],
  flags: PortfolioFlags,
  local: LocalConfig,
  dataDir: string,
): Promise<Map<string, SymbolFilters>> {
  const out = new Map<string, SymbolFilters>();
  if (flags.filters) {
    let given: Record<string, Record<string, unknown>>;
    try {
      given = JSON.parse(readFileSync(flags.filters, "utf8"));
    } catch (error) {
      throw new UsageError(
        `--filters ${flags.filters}: cannot read it as JSON (${(error as Error).message})`,
      );
    }
    for (const symbol of symbols) {
      const f = given?.[symbol];
      if (!f || typeof f !== "object")
        throw new UsageError(
          `--filters ${flags.filters} has no entry for ${symbol}: give {"${symbol}": {"tickSize": …, "stepSize": …, "minNotional": …}}`,
        );
      const value = (name: string) => {
        const v = f[name];
        if (typeof v !== "string" || !STEP.test(v) || Number(v) <= 0)
          throw new UsageError(
            `--filters ${flags.filters}: ${symbol}.${name} must be a positive decimal string`,
          );
        return v;
      };
      const quote = quoteOf(symbol);
      out.set(symbol, {
        symbol,
        status: "TRADING",
        baseAsset: symbol.slice(0, -quote.length),
        quoteAsset: quote,
        tickSize: value("tickSize"),
        stepSize: value("stepSize"),
        minQty: f.minQty === undefined ? value("stepSize") : value("minQty"),
        minNotional: value("minNotional"),
      });
    }
    return out;
  }
  for (const symbol of symbols)
    out.set(
      symbol,
      await filtersForCsv({
        symbol,
        flags: {},
        cacheDir: join(dataDir, "exchange-info"),
        binance: local.binance,
      }),
    );
  return out;
}

/** The one file of a pair in --csv-dir (named as the fixtures are, BNBUSDT-4h.csv), refusing none or two. */
function pairFile(dir: string, pair: WatchedPair): string {
  const name = `${pair.symbol}-${pair.timeframe}.csv`;
  const matches = readdirSync(dir).filter((f) => f.toLowerCase() === name.toLowerCase());
  if (matches.length === 0)
    throw new UsageError(
      `no candles for ${pair.symbol} ${pair.timeframe}: ${join(dir, name)} does not exist`,
    );
  if (matches.length > 1)
    throw new UsageError(
      `two files for ${pair.symbol} ${pair.timeframe} in ${dir}: ${matches.join(" and ")}; keep one`,
    );
  return join(dir, matches[0] as string);
}

/**
 * Every pair's candles and filters, and the period: the closes every pair can trade (each with its
 * warm-up before), or --from/--to checked against every pair. A pair missing part of the period
 * is refused, naming it: one pair's gap never shifts the others.
 */
export async function portfolioMarket(options: {
  flags: PortfolioFlags;
  pairs: readonly WatchedPair[];
  local: LocalConfig;
  window: number;
  from: number | undefined;
  to: number | undefined;
  dataDir: string;
}): Promise<{ pairs: PortfolioPair[]; from: number; to: number }> {
  const { flags, pairs, local, window, dataDir } = options;
  const warmup = window - 1;
  if (!flags["csv-dir"] && options.from === undefined)
    throw new UsageError("--from is required when the candles come from Binance (or give --csv-dir)");
  if (flags["csv-dir"] && !existsSync(flags["csv-dir"]))
    throw new UsageError(`--csv-dir ${flags["csv-dir"]} does not exist`);
  // Every pair's file first (a missing one is named before anything is read), then the filters.
  const csvDir = flags["csv-dir"];
  const files = csvDir ? pairs.map((pair) => pairFile(csvDir, pair)) : [];
  const filters = await filtersOf([...new Set(pairs.map((p) => p.symbol))], flags, local, dataDir);
  const loaded: PortfolioPair[] = [];
  for (const [k, pair] of pairs.entries()) {
    const interval = timeframeMs(pair.timeframe);
    let candles: Candle[];
    if (csvDir) candles = await candlesFromCsv(files[k] as string, pair.timeframe);
    else
      candles = (
        await candlesFromBinance({
          symbol: pair.symbol,
          timeframe: pair.timeframe,
          from: (options.from as number) - warmup * interval,
          to: options.to ?? Date.now(),
          cacheDir: join(dataDir, "candles"),
          binance: local.binance,
        })
      ).candles;
    for (let i = 1; i < candles.length; i++)
      if ((candles[i] as Candle).openTime - (candles[i - 1] as Candle).openTime !== interval)
        throw new UsageError(
          `${pair.symbol} ${pair.timeframe}: candles missing after ${new Date((candles[i - 1] as Candle).openTime).toISOString()}; every pair must cover the whole period`,
        );
    loaded.push({
      symbol: pair.symbol,
      timeframe: pair.timeframe,
      candles,
      filters: filters.get(pair.symbol) as SymbolFilters,
    });
  }
  // The candles every pair can trade (open times): after its warm-up, up to its last candle.
  const firstTradable = (p: PortfolioPair) => p.candles[warmup]?.openTime ?? Number.POSITIVE_INFINITY;
  const lastOpen = (p: PortfolioPair) => p.candles.at(-1)?.openTime ?? Number.NEGATIVE_INFINITY;
  const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : "none");
  const from = options.from ?? Math.max(...loaded.map(firstTradable));
  const to = options.to ?? Math.min(...loaded.map(lastOpen));
  for (const p of loaded) {
    const name = `${p.symbol} ${p.timeframe}`;
    if (firstTradable(p) > from)
      throw new UsageError(
        `${name}'s candles start too late: it needs ${warmup} candles before the one opening ${iso(from)} (its first tradable candle opens ${iso(firstTradable(p))})`,
      );
    if (lastOpen(p) < to)
      throw new UsageError(
        `${name}'s candles end with the one opening ${iso(lastOpen(p))}, before the period's last (${iso(to)}): every pair must cover the whole period`,
      );
  }
  if (from > to) throw new UsageError("the pairs' candles share no period to trade");
  return { pairs: loaded, from, to };
}

/**
 * What every portfolio command starts from: its flags' one-pair words refused, the period, the
 * data folder and the configuration, the account's pairs.
 */
export function portfolioStart(flags: PortfolioFlags, onePairFlags: readonly string[]) {
  for (const single of onePairFlags)
    if (flags[single] !== undefined)
      throw new UsageError(
        `--${single} is for one pair; with --account or --watchlist the account's pairs come from the watchlist`,
      );
  const period = portfolioPeriod(flags);
  return { ...period, ...portfolioSettings(flags, period.local, period.configFile) };
}

/** The period (--from, --to), the data folder and the configuration, as every account command reads them. */
export function portfolioPeriod(flags: PortfolioFlags) {
  const from = parseTime("--from", flags.from);
  const to = parseTime("--to", flags.to);
  if (from !== undefined && to !== undefined && from > to)
    throw new UsageError(`--from (${flags.from}) is after --to (${flags.to})`);
  const { configFile, dataDir } = localPaths(flags as { config?: string; "data-dir"?: string });
  return { from, to, dataDir, configFile, local: readLocalConfig(configFile, process.env) };
}
