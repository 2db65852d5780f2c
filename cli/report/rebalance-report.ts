import { join } from "node:path";
import type { BinanceMarketDataOptions } from "../../shared/adapters/binance/binance-market-data.ts";
import { memoryReplayStores } from "../../shared/adapters/memory/memory-replay-stores.ts";
import { allPages } from "../../shared/application/all-pages.ts";
import type { AccountHistory, CycleRecord } from "../../shared/application/ports/account-repository.ts";
import { type RebalancePath, rebalancePath } from "../../shared/application/rebalance/rebalance-path.ts";
import { decidedRuns, replayRebalances } from "../../shared/application/rebalance/replay-rebalances.ts";
import { timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { minuteUtc } from "../../shared/domain/market/utc.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { type Basket, candlesNeeded, REBALANCE_PAIR } from "../../shared/domain/rebalance/basket.ts";
import { candlesFromBinance } from "../backtest/backtest-data.ts";
import { UsageError } from "../cli-errors.ts";

const human = (iso: string) => minuteUtc(Date.parse(iso));
const money = (text: string) => dec(text).round(2, "halfUp").toFixed(2);

/** The path check: the uninterrupted backtest on Binance's candles now; why not, when they cannot be had. */
async function pathOf(
  basket: Basket,
  runs: readonly CycleRecord[],
  state: NonNullable<Awaited<ReturnType<AccountHistory["loadState"]>>>,
  source: { binance: BinanceMarketDataOptions; dataDir: string },
): Promise<RebalancePath | string | undefined> {
  const first = runs[0];
  const last = runs.at(-1);
  if (!first || !last) return undefined;
  const interval = timeframeMs(basket.timeframe);
  try {
    const pairs = [];
    for (const symbol of basket.symbols) {
      const fetched = await candlesFromBinance({
        symbol,
        timeframe: basket.timeframe,
        from: first.candleTime - (candlesNeeded(basket) - 1) * interval,
        to: last.candleTime,
        cacheDir: join(source.dataDir, "candles"),
        binance: source.binance,
      });
      pairs.push({ symbol, timeframe: basket.timeframe, candles: fetched.candles, filters: fetched.filters });
    }
    return await rebalancePath({
      basket,
      quoteAsset: state.account.quoteAsset,
      pairs,
      records: runs,
      balances: state.account.balances,
      stores: memoryReplayStores,
    });
  } catch (error) {
    return `not compared: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The fidelity check's findings: runs whose ledger fills differ from their replay, fills no run accounts for. */
interface LedgerFindings {
  readonly different: number;
  readonly unaccounted: number;
}

/** What the path's difference comes from, in words; undefined when there is none to explain. */
function causes(path: RebalancePath, ledger: LedgerFindings): string[] | undefined {
  if (dec(path.difference).eq(0)) return undefined;
  return [
    ...(ledger.different
      ? [`${ledger.different} run(s) whose fills in the ledger are not what they decided (below)`]
      : []),
    ...(path.differentRuns ? [`${path.differentRuns} run(s) decided otherwise`] : []),
    ...(path.tradedWhereMissed ? [`${path.tradedWhereMissed} missed time(s) the backtest traded at`] : []),
    ...(ledger.unaccounted ? [`${ledger.unaccounted} fill(s) no recorded run accounts for`] : []),
  ];
}

/** True when the account differs from its backtest and nothing recorded says why. */
export function pathUnexplained(path: RebalancePath | string | undefined, ledger: LedgerFindings): boolean {
  return typeof path === "object" && causes(path, ledger)?.length === 0;
}

function pathLines(
  path: RebalancePath | string | undefined,
  quote: string,
  ledger: LedgerFindings,
): string[] {
  if (path === undefined) return [];
  if (typeof path === "string") return [`  path: ${path}`];
  const signed = (text: string) => `${text.startsWith("-") ? "" : "+"}${money(text)}`;
  const why = causes(path, ledger);
  return [
    `  path: the basket backtested without a gap from ${minuteUtc(path.from)} to ${minuteUtc(path.to)} on the candles Binance serves now: equity ${money(path.backtestEquity)} ${quote}; the account ${money(path.liveEquity)} ${quote} (${signed(path.difference)}), both at the closes of the last run`,
    `  runs the backtest decided otherwise: ${path.differentRuns}${path.firstDifferent === undefined ? "" : ` (the first at the close of ${minuteUtc(path.firstDifferent)}: a missed run before it left other balances, or the candles, settings or filters differ)`}; missed times at which the backtest traded: ${path.tradedWhereMissed}`,
    ...(why === undefined
      ? []
      : [
          why.length
            ? `  the difference comes from: ${why.join("; ")}`
            : "  the difference is UNEXPLAINED: no run decided otherwise, none was missed and every fill is a run's: the balances moved outside the ledger",
        ]),
  ];
}

/** `npm run report -- --account <rebalancing id>`: every recorded run replayed, and the path against the backtest; exit 1 when a run differs or a difference is unexplained. */
export async function reportRebalancing(
  history: AccountHistory,
  basket: Basket,
  options: { json: boolean; binance: BinanceMarketDataOptions; dataDir: string },
): Promise<number> {
  const state = await history.loadState(basket.accountId);
  if (!state)
    throw new UsageError(
      `no paper account "${basket.accountId}" in this store: no rebalance has run yet (npm start)`,
    );
  const records = await allPages((cursor) =>
    history.cycleHistory(basket.accountId, REBALANCE_PAIR, basket.timeframe, cursor ? { cursor } : {}),
  );
  const ledger = await allPages((cursor) =>
    history.listTrades(basket.accountId, { limit: 1000, ...(cursor ? { cursor } : {}) }),
  );
  const replay = replayRebalances({
    basket,
    quoteAsset: state.account.quoteAsset,
    initialBalance: state.account.initialBalance,
    records,
    ledger,
  });
  const path = await pathOf(basket, decidedRuns(records), state, options);
  const ledgerFindings = { different: replay.differences.length, unaccounted: replay.unaccounted };
  if (options.json)
    process.stdout.write(
      `${JSON.stringify({ accountId: basket.accountId, ...replay, path: path ?? null }, null, 2)}\n`,
    );
  else
    process.stdout.write(
      [
        `Rebalancing account ${basket.accountId}: ${replay.runs} recorded run(s) replayed from the balances each had, at the prices, targets, steps and band each recorded`,
        `  equal to the ledger: ${replay.equal}; different: ${replay.differences.length}; fills no recorded run accounts for: ${replay.unaccounted}`,
        `  last run: ${replay.lastRun ? human(replay.lastRun) : "none"}; scheduled times between the first and the last run that no run decided: ${replay.missed.count}${replay.missed.count ? ` (${replay.missed.closes.map(human).join(", ")}${replay.missed.count > replay.missed.closes.length ? ", …" : ""}; missed for good: the next run traded from the account as it was)` : ""}`,
        ...pathLines(path, state.account.quoteAsset, ledgerFindings),
        ...replay.differences.flatMap((d) => [
          `  at the close of ${human(d.close)}:`,
          ...d.live.map((l) => `    live:     ${l}`),
          ...d.replayed.map((l) => `    replayed: ${l}`),
        ]),
        "",
      ].join("\n"),
    );
  return replay.differences.length + replay.unaccounted > 0 || pathUnexplained(path, ledgerFindings) ? 1 : 0;
}
