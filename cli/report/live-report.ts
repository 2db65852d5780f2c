import { join } from "node:path";
import type { BinanceMarketDataOptions } from "../../shared/adapters/binance/binance-market-data.ts";
import { strategyNamed } from "../../shared/adapters/strategies/registry.ts";
import { allPages } from "../../shared/application/all-pages.ts";
import {
  compareFills,
  type Divergence,
  explainDivergences,
} from "../../shared/application/backtest/live-vs-backtest.ts";
import { type ReplayPair, replayAccount } from "../../shared/application/backtest/replay-account.ts";
import type { CycleConfig } from "../../shared/application/cycle-config.ts";
import { type CycleSettings, cycleSettings } from "../../shared/application/cycle-settings.ts";
import type {
  AccountRepository,
  CycleRecord,
  StoredTrade,
} from "../../shared/application/ports/account-repository.ts";
import type { SymbolFilters } from "../../shared/application/ports/market-data.ts";
import { type Timeframe, timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { candlesFromBinance } from "../backtest/backtest-data.ts";
import { UsageError } from "../cli-errors.ts";

/** One pair of the account as live ran it and the replay ran it again. */
export interface ReportPair {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Open times of the first and last candle with a live cycle record. */
  readonly from: number;
  readonly to: number;
  readonly liveCycles: number;
  readonly replayedCycles: number;
  /** What the replay ran: the settings of the pair's first recorded cycle. */
  readonly settings: CycleSettings;
  /** The filters the report prints with: the last a live cycle recorded, else Binance's today. */
  readonly filters: SymbolFilters;
  /** Where the replay's filters came from: the live records (each cycle those in force), or today's. */
  readonly filtersSource: "records" | "binance";
}

export interface LiveReport {
  readonly accountId: string;
  readonly quoteAsset: string;
  readonly initialBalance: string;
  readonly pairs: readonly ReportPair[];
  /** Pairs of the account with trades or positions but no cycle record left (expired, or never). */
  readonly pairsWithoutRecords: readonly string[];
  readonly live: readonly StoredTrade[];
  readonly backtest: readonly StoredTrade[];
  /** Live fills outside the recorded period of their pair (their cycle records expired): not compared. */
  readonly notCompared: readonly StoredTrade[];
  readonly matched: number;
  readonly divergences: readonly Divergence[];
  readonly unexplained: number;
}

const pairKey = (p: { symbol: string; timeframe: string }) => `${p.symbol} ${p.timeframe}`;

/** The filters a pair's live cycles sized with, oldest first, each only where they changed. */
function filtersUsed(byTime: ReadonlyMap<number, CycleRecord>) {
  const timeline: { candleTime: number; filters: SymbolFilters }[] = [];
  let last = "";
  for (const record of [...byTime.values()].sort((a, b) => a.candleTime - b.candleTime)) {
    if (!record.filters) continue;
    const text = JSON.stringify(record.filters);
    if (text !== last) timeline.push({ candleTime: record.candleTime, filters: record.filters });
    last = text;
  }
  return timeline;
}

/** The strategy and rules a record's settings describe, for the replay. */
function strategyOf(settings: CycleSettings, where: string) {
  const params = Object.fromEntries(
    Object.entries(settings)
      .filter(([name]) => name.startsWith("params."))
      .map(([name, value]) => [name.slice("params.".length), value]),
  );
  return strategyNamed(settings.strategy, params, where);
}

/**
 * Live against a replay of the same account: reads the ledger, the cycle records and their notes,
 * fetches (or reads from the cache) the candles of every pair's recorded period, replays the
 * account from its first cycle with the settings that cycle recorded, and explains each divergence.
 */
export async function liveReport(options: {
  repository: AccountRepository;
  accountId: string;
  config: CycleConfig;
  binance: BinanceMarketDataOptions;
  dataDir: string;
}): Promise<LiveReport> {
  const { repository, accountId, config } = options;
  const state = await repository.loadState(accountId);
  if (!state)
    throw new UsageError(`no paper account "${accountId}" in this store: run a cycle first (npm start)`);
  const live = (
    await allPages((cursor) => repository.listTrades(accountId, cursor ? { cursor } : {}))
  ).reverse();
  const scheduled = (config.watchlist ?? []).filter((e) => e.accountId === accountId && e.mode === "trade");
  const candidates = new Map<string, { symbol: string; timeframe: Timeframe }>();
  for (const p of [...scheduled, ...live, ...state.positions])
    candidates.set(pairKey(p), { symbol: p.symbol, timeframe: p.timeframe });
  const records = new Map<string, Map<number, CycleRecord>>();
  const pairsWithoutRecords: string[] = [];
  for (const [key, { symbol, timeframe }] of candidates) {
    const history = await allPages((cursor) =>
      repository.cycleHistory(accountId, symbol, timeframe, cursor ? { cursor } : {}),
    );
    if (history.length === 0) pairsWithoutRecords.push(key);
    else records.set(key, new Map(history.map((r) => [r.candleTime, r])));
  }
  if (records.size === 0)
    throw new UsageError(
      `account "${accountId}" has no cycle records to compare with (none kept, or none yet)`,
    );
  // The first records say what the replay runs: each pair's strategy, the account's rules.
  const firstOf = (key: string) => {
    const byTime = records.get(key) as Map<number, CycleRecord>;
    return [...byTime.values()].reduce((a, b) => (b.candleTime < a.candleTime ? b : a));
  };
  const settingsOf = new Map<string, CycleSettings>();
  for (const key of records.keys()) {
    const first = firstOf(key);
    const entry = scheduled.find((e) => pairKey(e) === key);
    settingsOf.set(
      key,
      first.settings ?? cycleSettings(entry?.strategy ?? config.strategy, config, first.timeframe),
    );
  }
  const earliest = [...records.keys()].map(firstOf).reduce((a, b) => (b.candleTime < a.candleTime ? b : a));
  const base = settingsOf.get(pairKey(earliest)) as CycleSettings;
  const stakeFractions = Object.fromEntries(
    [...records.keys()].map((key) => [
      firstOf(key).timeframe,
      dec(settingsOf.get(key)?.stakeFraction ?? "0"),
    ]),
  );
  const window = Number(base.window);
  const replayConfig: CycleConfig = {
    ...config,
    window,
    rules: {
      ...config.rules,
      feeRate: dec(base.feeRate ?? config.rules.feeRate.toFixed()),
      maxOpenPositions: Number(base.maxOpenPositions),
      minNotional: dec(base.minNotional ?? config.rules.minNotional.toFixed()),
      stakeFractions,
    },
  };
  // Pairs in the order the runner runs them: the watchlist's, then the others.
  const order = (key: string) => {
    const i = scheduled.findIndex((e) => pairKey(e) === key);
    return i < 0 ? scheduled.length : i;
  };
  const keys = [...records.keys()].sort((a, b) => order(a) - order(b));
  const replayPairs: ReplayPair[] = [];
  const reportPairs: ReportPair[] = [];
  for (const key of keys) {
    const byTime = records.get(key) as Map<number, CycleRecord>;
    const { symbol, timeframe } = firstOf(key);
    const times = [...byTime.keys()];
    const from = Math.min(...times);
    const to = Math.max(...times);
    const interval = timeframeMs(timeframe);
    const fetched = await candlesFromBinance({
      symbol,
      timeframe,
      from: from - (window - 1) * interval,
      to,
      cacheDir: join(options.dataDir, "candles"),
      binance: options.binance,
    });
    const settings = settingsOf.get(key) as CycleSettings;
    const strategy = strategyOf(settings, `the first cycle of ${key}`);
    const used = filtersUsed(byTime);
    replayPairs.push({
      symbol,
      timeframe,
      strategy,
      candles: fetched.candles,
      filters: fetched.filters,
      filtersUsed: used,
      from,
      to,
    });
    reportPairs.push({
      symbol,
      timeframe,
      from,
      to,
      liveCycles: byTime.size,
      replayedCycles: (to - from) / interval + 1,
      settings,
      filters: used.at(-1)?.filters ?? fetched.filters,
      filtersSource: used.length > 0 ? "records" : "binance",
    });
  }
  const replay = await replayAccount({
    accountId,
    initialBalance: state.account.initialBalance,
    quoteAsset: state.account.quoteAsset,
    config: replayConfig,
    pairs: replayPairs,
  });
  const inPeriod = (t: StoredTrade) => {
    const pair = reportPairs.find((p) => pairKey(p) === pairKey(t));
    return pair !== undefined && t.candleTime >= pair.from && t.candleTime <= pair.to;
  };
  const compared = live.filter(inPeriod);
  const { matched, differences } = compareFills(compared, replay.trades);
  const divergences = explainDivergences(differences, compared, replay.trades, {
    records,
    notes: await repository.cycleNotes(accountId),
    replaySettings: settingsOf,
  });
  return {
    accountId,
    quoteAsset: state.account.quoteAsset,
    initialBalance: state.account.initialBalance.toFixed(),
    pairs: reportPairs,
    pairsWithoutRecords,
    live: compared,
    backtest: replay.trades,
    notCompared: live.filter((t) => !inPeriod(t)),
    matched,
    divergences,
    unexplained: divergences.filter((d) => d.cause === undefined).length,
  };
}
