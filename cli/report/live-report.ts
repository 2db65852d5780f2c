import { join } from "node:path";
import type { BinanceMarketDataOptions } from "../../shared/adapters/binance/binance-market-data.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { allPages } from "../../shared/application/all-pages.ts";
import { type CycleConfig, cycleSettings } from "../../shared/application/cycle/index.ts";
import type { AccountHistory, CycleRecord } from "../../shared/application/ports/account-repository.ts";
import type { CycleSettings } from "../../shared/application/ports/cycle-record.ts";
import type { SymbolFilters } from "../../shared/application/ports/market-data.ts";
import { pairKey, type ReplayPair } from "../../shared/application/report/account-replay.ts";
import { compareLive, type LiveComparison } from "../../shared/application/report/live-report.ts";
import { type Timeframe, timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { strategyNamed } from "../../shared/domain/strategies/registry.ts";
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
  readonly scheduledCycles: number;
  /** The settings of the pair's first recorded cycle (the uninterrupted backtest's). */
  readonly settings: CycleSettings;
  /** The filters the report prints with: the last a live cycle recorded, else Binance's today. */
  readonly filters: SymbolFilters;
  /** Where the replay's filters came from: the live records (each cycle those in force), or today's. */
  readonly filtersSource: "records" | "binance";
}

export interface LiveReport extends LiveComparison {
  readonly accountId: string;
  readonly quoteAsset: string;
  readonly initialBalance: string;
  readonly pairs: readonly ReportPair[];
  /** Pairs of the account with trades or positions but no cycle record left (expired, or never). */
  readonly pairsWithoutRecords: readonly string[];
}

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

/**
 * Live against a replay of the same account: reads the account, its ledger, cycle records and
 * notes, fetches (or reads from the cache) the candles of every pair's recorded period, and
 * compares (shared/application/report/live-report.ts).
 */
export async function liveReport(options: {
  repository: AccountHistory;
  accountId: string;
  config: CycleConfig;
  binance: BinanceMarketDataOptions;
  dataDir: string;
}): Promise<LiveReport> {
  const { repository, accountId, config } = options;
  const state = await repository.loadState(accountId);
  if (!state)
    throw new UsageError(`no paper account "${accountId}" in this store: run a cycle first (npm start)`);
  const trades = (
    await allPages((cursor) => repository.listTrades(accountId, cursor ? { cursor } : {}))
  ).reverse();
  const scheduled = (config.watchlist ?? []).filter((e) => e.accountId === accountId && e.mode === "trade");
  const candidates = new Map<string, { symbol: string; timeframe: Timeframe }>();
  for (const p of [...scheduled, ...trades, ...state.positions])
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
  const fallbackSettings = (key: string) => {
    const entry = scheduled.find((e) => pairKey(e) === key);
    const timeframe = key.split(" ")[1] as Timeframe;
    return cycleSettings(entry?.strategy ?? config.strategy, config, timeframe);
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
    const times = [...byTime.keys()];
    const from = Math.min(...times);
    const to = Math.max(...times);
    const first = byTime.get(from) as CycleRecord;
    const { symbol, timeframe } = first;
    const settings = first.settings ?? fallbackSettings(key);
    const window = Math.max(...[...byTime.values()].map((r) => Number(r.settings?.window ?? config.window)));
    const interval = timeframeMs(timeframe);
    const fetched = await candlesFromBinance({
      symbol,
      timeframe,
      from: from - (window - 1) * interval,
      to,
      cacheDir: join(options.dataDir, "candles"),
      binance: options.binance,
    });
    const used = filtersUsed(byTime);
    replayPairs.push({
      symbol,
      timeframe,
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
      scheduledCycles: (to - from) / interval + 1,
      settings,
      filters: used.at(-1)?.filters ?? fetched.filters,
      filtersSource: used.length > 0 ? "records" : "binance",
    });
  }
  const comparison = await compareLive({
    stores: memoryReplayStores,
    state,
    trades,
    records,
    notes: await repository.cycleNotes(accountId),
    pairs: replayPairs,
    fallbackSettings,
    config,
    resolveStrategy: strategyNamed,
  });
  return {
    ...comparison,
    accountId,
    quoteAsset: state.account.quoteAsset,
    initialBalance: state.account.initialBalance.toFixed(),
    pairs: reportPairs,
    pairsWithoutRecords,
  };
}
