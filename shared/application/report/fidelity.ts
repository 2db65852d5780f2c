import type { Candle } from "../../domain/market/candle.ts";
import { closeTimeOf, timeframeMs } from "../../domain/market/timeframe.ts";
import { dec } from "../../domain/money/decimal.ts";
import { CODE_VERSION, scheduledRequest, TradingCycle, windowDigest } from "../cycle/index.ts";
import { money, utcTime as utc } from "../format.ts";
import type { CycleRecord } from "../ports/account-repository.ts";
import { silentLogger } from "../ports/logger.ts";
import { noMetrics } from "../ports/metrics.ts";
import type { ReplayStores } from "../ports/replay-stores.ts";
import { filtersAt, pairKey, type ReplayPair } from "./account-replay.ts";
import { fillText, type LedgerStates } from "./ledger-state.ts";
import type { ReplayConfigs } from "./replay-config.ts";
import { noOutbox, stateRepository } from "./state-repository.ts";

/** What the fidelity check found at one live cycle. */
export interface Finding {
  readonly symbol: string;
  readonly timeframe: string;
  /** Open time of the cycle's candle. */
  readonly candleTime: number;
  readonly kind:
    | "ledger-edited"
    | "candles-changed"
    | "state-differs"
    | "code-changed"
    | "fill-without-record"
    | "forced-exit"
    | "paused"
    | "unexplained";
  /** True when replaying the cycle gave another signal or other fills than the ledger holds. */
  readonly decisionDiffers: boolean;
  /** What the records prove, for people; undefined: nothing explains it. */
  readonly cause: string | undefined;
  /** The changed candle (candles-changed): its open time, as recorded and as served now. */
  readonly candle?: {
    readonly openTime: number;
    readonly recorded: Candle;
    readonly now: Candle | undefined;
  };
  readonly live?: readonly string[];
  readonly replay?: readonly string[];
}

export interface FidelityResult {
  /** Live cycles replayed, by pair. */
  readonly checked: ReadonlyMap<string, number>;
  /** Of those, the ones whose signal and fills the replay gave again exactly. */
  readonly equal: ReadonlyMap<string, number>;
  /** Records that cannot be replayed from their state, with why (written by an older version…). */
  readonly notChecked: readonly { readonly record: CycleRecord; readonly why: string }[];
  readonly findings: readonly Finding[];
}

const ohlcv = (c: Candle) => `O ${c.open} H ${c.high} L ${c.low} C ${c.close} V ${c.volume}`;
const sameCandle = (a: Candle, b: Candle | undefined) =>
  b !== undefined &&
  a.open === b.open &&
  a.high === b.high &&
  a.low === b.low &&
  a.close === b.close &&
  a.volume === b.volume;

function outcomeFills(record: CycleRecord): string[] {
  const { exits, entry } = record.outcome;
  return [...(exits ?? []), ...(entry ? [entry] : [])].map((f) =>
    fillText({ ...f, price: dec(f.price), quantity: dec(f.quantity), fee: dec(f.fee) }),
  );
}

/**
 * Every recorded live cycle replayed alone, from the state the ledger had just before it, with the
 * settings and exchange filters it recorded, on the candles Binance serves now: it must give the
 * recorded signal and the ledger's fills to the last digit. Where it does not, or where the
 * candles it read are not the ones served now, the finding says what the records prove.
 */
export async function checkFidelity(input: {
  readonly ledger: LedgerStates;
  readonly pairs: readonly ReplayPair[];
  readonly configs: ReplayConfigs;
  readonly accountId: string;
  readonly stores: ReplayStores;
}): Promise<FidelityResult> {
  const { ledger, pairs, configs, accountId } = input;
  const byPair = new Map(pairs.map((p) => [pairKey(p), p]));
  const market = input.stores.newMarket(pairs);
  const checked = new Map<string, number>();
  const equal = new Map<string, number>();
  const notChecked: { record: CycleRecord; why: string }[] = [];
  const findings: Finding[] = [];
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const edited: Finding[] = [];

  for (const record of ledger.records) {
    const key = pairKey(record);
    const pair = byPair.get(key);
    const where = { symbol: record.symbol, timeframe: record.timeframe, candleTime: record.candleTime };
    const live = ledger.fillsOf(record).map(fillText);
    const recorded = outcomeFills(record);
    const ledgerEdited = live.join("|") !== recorded.join("|");
    if (ledgerEdited) {
      const finding: Finding = {
        ...where,
        kind: "ledger-edited",
        decisionDiffers: true,
        cause: `ledger edited: the ledger's fills of this cycle are not what the cycle recorded (ledger: ${live.join("; ") || "none"}; recorded: ${recorded.join("; ") || "none"})`,
        live,
        replay: recorded,
      };
      findings.push(finding);
      edited.push(finding);
    }
    if (!pair || !record.basis || !record.settings) {
      notChecked.push({
        record,
        why: record.basis ? "no settings recorded" : "no basis recorded (an older version wrote it)",
      });
      continue;
    }
    const state = ledger.stateBefore(record);
    if (typeof state === "string") {
      notChecked.push({ record, why: state });
      continue;
    }
    bump(checked, key);
    const { basis } = record;
    const close = closeTimeOf(record.candleTime, record.timeframe);
    const end = pair.candles.findIndex((c) => c.openTime === record.candleTime);
    const served = end < 0 ? [] : pair.candles.slice(Math.max(0, end + 1 - basis.window.count), end + 1);
    const candlesEqual =
      served.length === basis.window.count &&
      served[0]?.openTime === basis.window.from &&
      windowDigest(served) === basis.window.sha256;
    const config = configs.configFor(record.symbol, record.timeframe, record.settings);
    market.setFilters(record.symbol, record.filters ?? filtersAt(pair, record.candleTime));
    const cycle = new TradingCycle({
      market,
      repository: stateRepository(state),
      outbox: noOutbox,
      alerts: { publish: async () => {} },
      metrics: noMetrics,
      logger: silentLogger,
      now: () => close,
      config,
    });
    const result = await cycle.run(
      scheduledRequest({ symbol: record.symbol, timeframe: record.timeframe, accountId }, close, true),
    );
    const replay =
      result.status === "ok" ? [...result.exits, ...(result.entry ? [result.entry] : [])].map(fillText) : [];
    const decisionDiffers =
      result.status !== "ok" ||
      result.signal?.action !== record.action ||
      replay.join("|") !== live.join("|");
    if (!decisionDiffers && candlesEqual) {
      bump(equal, key);
      continue;
    }
    // The edit at this very cycle is the whole difference.
    if (decisionDiffers && ledgerEdited && replay.join("|") === recorded.join("|")) continue;
    const failure =
      result.status === "ok" ? "" : ` (the replay ended ${result.status}: ${result.error?.message})`;
    const detail = {
      live: [`${record.action}`, ...live],
      replay: [`${result.signal?.action ?? result.status}`, ...replay],
    };
    if (!candlesEqual) {
      findings.push({ ...where, ...candleChange(record, served, ledger, pair), decisionDiffers, ...detail });
      continue;
    }
    const cashSeen = cashTheCycleSaw(record);
    const cashNow = ledger.cashBefore(record);
    if (!cashSeen.eq(cashNow)) {
      const earlier = edited.find((f) => closeTimeOf(f.candleTime, f.timeframe as never) <= close);
      findings.push({
        ...where,
        kind: "state-differs",
        decisionDiffers,
        cause: earlier
          ? `follows from the ledger edit at ${earlier.symbol} ${earlier.timeframe} ${utc(closeTimeOf(earlier.candleTime, earlier.timeframe as never))}: the ledger before this cycle adds up to ${money(cashNow)}, the cycle decided on ${money(cashSeen)}`
          : undefined,
        ...detail,
      });
      continue;
    }
    const versions = [
      ...(basis.code === CODE_VERSION ? [] : [`code ${basis.code} → ${CODE_VERSION}`]),
      ...(record.settings.strategyVersion === config.strategy.version
        ? []
        : [`${config.strategy.name} ${record.settings.strategyVersion} → ${config.strategy.version}`]),
    ];
    findings.push({
      ...where,
      kind: versions.length ? "code-changed" : "unexplained",
      decisionDiffers,
      cause: versions.length ? `the code changed since this cycle ran (${versions.join(", ")})` : undefined,
      ...detail,
      replay: [...detail.replay, ...(failure ? [failure] : [])],
    });
  }
  for (const t of ledger.orphans) {
    const pair = byPair.get(pairKey(t));
    if (!pair || t.candleTime < pair.from || t.candleTime > pair.to) continue;
    // A person's /forceexit writes a fill no cycle made: its own cause, never unexplained.
    const forced = t.reason === "forced-exit";
    findings.push({
      symbol: t.symbol,
      timeframe: t.timeframe,
      candleTime: t.candleTime,
      kind: forced ? "forced-exit" : "fill-without-record",
      decisionDiffers: true,
      cause: forced
        ? `forced exit by a person (/forceexit) at the close of ${utc(closeTimeOf(t.candleTime, t.timeframe))}: the position sold there, not by a cycle`
        : undefined,
      live: [fillText(t)],
    });
  }
  // A person's /pause: the cycle refused its BUY (its replay, reading the same pause, agrees), and
  // the account's path leaves the backtest's there.
  for (const record of ledger.records) {
    const why = record.outcome.entrySkipped;
    if (!why?.startsWith("paused by")) continue;
    findings.push({
      symbol: record.symbol,
      timeframe: record.timeframe,
      candleTime: record.candleTime,
      kind: "paused",
      decisionDiffers: true,
      cause: `${why.replace(/: no new entries until \/resume$/, "")}: the BUY of this close not taken`,
      live: ["BUY signal, no entry"],
      replay: ["the same (the cycle's record holds the pause)"],
    });
  }
  findings.sort((a, b) => a.candleTime - b.candleTime);
  return { checked, equal, notChecked, findings };
}

/** The quote the live cycle had before its fills: its recorded free quote less what its fills moved. */
function cashTheCycleSaw(record: CycleRecord) {
  const { exits, entry, account } = record.outcome;
  let cash = dec(account?.usdtFree ?? "0");
  for (const f of [...(exits ?? []), ...(entry ? [entry] : [])]) {
    const moved = dec(f.quoteAmount)
      .times(f.side === "BUY" ? -1 : 1)
      .minus(dec(f.fee));
    cash = cash.minus(moved);
  }
  return cash;
}

/** Which candle Binance now serves otherwise: the cycle's own, or one an earlier record read as its own. */
function candleChange(
  record: CycleRecord,
  served: readonly Candle[],
  ledger: LedgerStates,
  pair: ReplayPair,
) {
  const basis = record.basis as NonNullable<CycleRecord["basis"]>;
  const nowOf = (openTime: number) =>
    served.find((c) => c.openTime === openTime) ?? pair.candles.find((c) => c.openTime === openTime);
  const interval = timeframeMs(record.timeframe);
  const candidates = [
    basis.candle,
    ...ledger.records
      .filter(
        (r) =>
          pairKey(r) === pairKey(record) &&
          r.candleTime >= basis.window.from &&
          r.candleTime < record.candleTime &&
          r.basis,
      )
      .map((r) => (r.basis as NonNullable<CycleRecord["basis"]>).candle)
      .reverse(),
  ];
  const changed = candidates.find((c) => !sameCandle(c, nowOf(c.openTime)));
  const what = `${record.symbol} ${record.timeframe}`;
  if (changed) {
    const now = nowOf(changed.openTime);
    return {
      kind: "candles-changed" as const,
      cause: `Binance now serves another ${what} candle closed ${utc(changed.openTime + interval)}: recorded ${ohlcv(changed)}, now ${now ? ohlcv(now) : "none"}`,
      candle: { openTime: changed.openTime, recorded: changed, now },
    };
  }
  return {
    kind: "candles-changed" as const,
    cause: `Binance now serves other ${what} candles in the window the cycle read (${basis.window.count} candles closed ${utc(basis.window.from + interval)} to ${utc(record.candleTime + interval)}: digest ${basis.window.sha256.slice(0, 12)}…, now ${served.length === basis.window.count ? windowDigest(served).slice(0, 12) : `${served.length} candles`}…)`,
  };
}
