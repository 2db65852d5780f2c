import { describe, expect, it } from "vitest";
import { memoryReplayStores } from "../../../shared/adapters/memory/memory-replay-stores.ts";
import { allPages } from "../../../shared/application/all-pages.ts";
import {
  rebalanceCalendar,
  rebalanceEvaluation,
} from "../../../shared/application/rebalance/rebalance-evaluation.ts";
import { rebalancePath } from "../../../shared/application/rebalance/rebalance-path.ts";
import { replayRebalances } from "../../../shared/application/rebalance/replay-rebalances.ts";
import { runRebalance } from "../../../shared/application/rebalance/run-rebalance.ts";
import { sumMovements } from "../../../shared/domain/account/ledger.ts";
import { dec, ZERO } from "../../../shared/domain/money/decimal.ts";
import { isRebalanceClose, REBALANCE_PAIR } from "../../../shared/domain/rebalance/basket.ts";
import { BNB, basket, ETH, rebalancerOn, twoLegs } from "../../helpers/rebalance-basket.ts";

const DAY = 86_400_000;

describe("a rebalance, live", () => {
  const pairs = twoLegs();
  const weekly = basket({ every: 7, bandPct: dec(2) });
  const first = pairs[0]?.candles.find(
    (c) => isRebalanceClose(weekly, c.openTime + DAY) && c.openTime > (pairs[0]?.candles[30]?.openTime ?? 0),
  );
  const close = (first?.openTime ?? 0) + DAY;

  it("commits every leg once per scheduled time, only forward, and alerts once", async () => {
    const clock = { now: close + 60_000 };
    const { rebalancer, repository, published, counted } = rebalancerOn(pairs, weekly, clock);
    const ran = await rebalancer.run({ accountId: "basket", scheduledTime: close, dryRun: false });
    expect(ran.status).toBe("ok");
    expect(ran.legs?.map((l) => `${l.side} ${l.symbol}`)).toEqual(["BUY BNBUSDT", "BUY ETHUSDT"]);
    expect(published).toEqual(["REBALANCE basket: 2 leg(s) (paper)"]);
    const again = await rebalancer.run({ accountId: "basket", scheduledTime: close, dryRun: false });
    expect(again.status).toBe("duplicate");
    expect(again.legs).toEqual(ran.legs);
    const { items } = await repository.listTrades("basket");
    expect(items).toHaveLength(2);
    // An earlier scheduled time, after a later one committed: refused, nothing written.
    const earlier = await rebalancer.run({
      accountId: "basket",
      scheduledTime: close - 7 * DAY,
      dryRun: false,
    });
    expect(earlier.status).toBe("stale");
    expect((await repository.listTrades("basket")).items).toHaveLength(2);
    expect(published).toHaveLength(1);
    // The cycle's series: the heartbeat, its legs as fills, the duplicate and the stale one.
    expect(counted).toEqual({
      CyclesSucceeded: 1,
      Fills: 2,
      CloseToCycleEndDelay: 60_000,
      DuplicateDeliveries: 1,
      StaleEvents: 1,
    });
  });

  it("at a close that is not a scheduled time, holds and writes nothing", async () => {
    const clock = { now: close + DAY + 60_000 };
    const { rebalancer, repository } = rebalancerOn(pairs, weekly, clock);
    const result = await rebalancer.run({ accountId: "basket", scheduledTime: close + DAY, dryRun: false });
    expect(result.signal?.reason).toContain(
      "not a scheduled time: the account rebalances at every 7th 1d close",
    );
    expect(await repository.loadState("basket")).toBeUndefined();
  });

  it("a leg whose candle is not served: the whole rebalance waits, nothing partial, one failure alert", async () => {
    const clock = { now: close + 60_000 };
    const cut = pairs.map((p) =>
      p.symbol === "ETHUSDT" ? { ...p, candles: p.candles.filter((c) => c.openTime < close - DAY) } : p,
    );
    const { rebalancer, repository, published, counted } = rebalancerOn(cut, weekly, clock);
    const result = await rebalancer.run({ accountId: "basket", scheduledTime: close, dryRun: false });
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain("ETHUSDT: the 1d candle of");
    expect(result.error?.message).toContain("the whole rebalance waits, no leg trades");
    expect(result.error?.retryable).toBe(true);
    expect((await repository.listTrades("basket")).items).toEqual([]);
    expect(await repository.findCycle("basket", "REBALANCE", "1d", close - DAY)).toBeUndefined();
    expect(published.map((s) => s.slice(0, 6))).toEqual(["FAILED"]);
    expect(counted).toEqual({ CyclesFailed: 1 });
  });

  it("a late event is refused; a dry run writes nothing", async () => {
    const late = rebalancerOn(pairs, weekly, { now: close + DAY + 3 * 3_600_000 });
    expect(
      (await late.rebalancer.run({ accountId: "basket", scheduledTime: close, dryRun: false })).status,
    ).toBe("stale");
    const dry = rebalancerOn(pairs, weekly, { now: close + 60_000 });
    const result = await dry.rebalancer.run({ accountId: "basket", scheduledTime: close, dryRun: true });
    expect(result.legs).toHaveLength(2);
    expect(await dry.repository.loadState("basket")).toBeUndefined();
    expect(dry.counted).toEqual({}); // a dry run counts nothing, as a cycle's
    expect(late.counted).toEqual({ StaleEvents: 1 }); // late is stale, as a cycle's, not an invalid event
  });
});

describe("a rebalancing account replayed", () => {
  it("trades only at scheduled times past the band; the ledger adds up to the balances, none negative", async () => {
    const pairs = twoLegs();
    const b = basket({ every: 7, bandPct: dec(3) });
    const from = pairs[0]?.candles[40]?.openTime ?? 0;
    const to = pairs[0]?.candles.at(-1)?.openTime ?? 0;
    const run = await runRebalance({
      basket: b,
      quoteAsset: "USDT",
      pairs,
      from,
      to,
      stores: memoryReplayStores,
    });
    const traded = run.results.filter((r) => r.signal?.action === "REBALANCE");
    const held = run.results.filter((r) => r.signal?.reason?.toString().includes("within the band"));
    expect(traded.length).toBeGreaterThan(3);
    expect(held.length).toBeGreaterThan(0);
    for (const r of traded) expect(isRebalanceClose(b, Date.parse(String(r.signal?.close)))).toBe(true);
    const balances = sumMovements(run.fills);
    const cash = b.initialBalance.plus(balances.USDT ?? ZERO);
    expect(cash.gte(0) && (balances.BNB ?? ZERO).gte(0) && (balances.ETH ?? ZERO).gte(0)).toBe(true);
    const last = run.marks.at(-1);
    const lastCandle = (s: number) => dec(pairs[s]?.candles.find((c) => c.openTime === to)?.close ?? 0);
    expect(last?.equity.toFixed()).toBe(
      cash
        .plus((balances.BNB ?? ZERO).times(lastCandle(0)))
        .plus((balances.ETH ?? ZERO).times(lastCandle(1)))
        .toFixed(),
    );
    expect(run.buyAndHold).toHaveLength(run.marks.length);
    // As the optimizer reads it: each day's last equity, the buys as entries, the same final equity.
    const days = { ...rebalanceCalendar(from, to, 86_400_000), from };
    const e = rebalanceEvaluation({ bandPct: 3 }, run, days, 86_400_000, 10_000);
    expect([...e.dayEquity]).toEqual(run.marks.map((m) => Number(m.equity.toFixed())));
    expect(e.full.entries).toBe(run.fills.filter((f) => f.side === "BUY").length);
    expect(e.finalEquity).toBe(Number(last?.equity.toFixed()));
  });
});

describe("a rebalancing account scheduled at an hour (hourUtc)", () => {
  it("trades daily at 12:00 UTC on hourly candles, and at no other hour", async () => {
    // Two legs of hourly candles over 6 days, moving against each other so that weights drift.
    const hour = 3_600_000;
    const start = Date.UTC(2026, 0, 5);
    const hourly = (_symbol: string, k: number) =>
      Array.from({ length: 6 * 24 }, (_, i) => {
        const close = Math.round((600 + k * 40 * Math.sin(i / 9)) * 100) / 100;
        return { openTime: start + i * hour, open: close, high: close, low: close, close, volume: 1 };
      });
    const pairs = [
      { symbol: "BNBUSDT", timeframe: "1h" as const, candles: hourly("BNBUSDT", 1), filters: BNB },
      { symbol: "ETHUSDT", timeframe: "1h" as const, candles: hourly("ETHUSDT", -1), filters: ETH },
    ];
    const b = basket({ timeframe: "1h", every: 24, hourUtc: 12 });
    const run = await runRebalance({
      basket: b,
      quoteAsset: "USDT",
      pairs,
      from: start,
      to: start + (6 * 24 - 1) * hour,
      stores: memoryReplayStores,
    });
    const traded = run.results.filter((r) => r.signal?.action === "REBALANCE");
    expect(traded.map((r) => r.signal?.close)).toEqual(
      [0, 1, 2, 3, 4, 5].map((d) => new Date(start + d * 24 * hour + 12 * hour).toISOString()),
    );
    const off = run.results.find((r) => r.signal?.close === new Date(start + 13 * hour).toISOString());
    expect(off?.signal?.reason).toBe(
      "not a scheduled time: the account rebalances at every 24th 1h close, counted from 12:00 UTC",
    );
  });
});

describe("a slipped rebalance in the report", () => {
  it("replays from the slippage and ticks its records hold, not the configuration's", async () => {
    const pairs = twoLegs();
    const slipped = basket({ slippageBps: dec(25), bandPct: dec(1) });
    const clock = { now: 0 };
    const { rebalancer, repository } = rebalancerOn(pairs, slipped, clock);
    const start = pairs[0]?.candles[60]?.openTime ?? 0;
    for (let close = start + DAY; close <= start + 30 * DAY; close += DAY) {
      clock.now = close;
      expect(
        (await rebalancer.run({ accountId: "basket", scheduledTime: close, dryRun: false })).status,
      ).toBe("ok");
    }
    const records = await allPages((cursor) =>
      repository.cycleHistory("basket", REBALANCE_PAIR, "1d", cursor ? { cursor } : {}),
    );
    const ledger = await allPages((cursor) =>
      repository.listTrades("basket", { limit: 1000, ...(cursor ? { cursor } : {}) }),
    );
    const sells = ledger.filter((t) => t.side === "SELL");
    expect(sells.length).toBeGreaterThan(0);
    // Each fill is off its close by the slippage: a sell below, a buy above.
    for (const t of ledger) {
      const close = dec(
        pairs.find((p) => p.symbol === t.symbol)?.candles.find((c) => c.openTime === t.candleTime)?.close ??
          0,
      );
      expect(t.side === "SELL" ? t.price.lt(close) : t.price.gt(close)).toBe(true);
    }
    // Replayed with the configuration's slippage changed since: the records' 25 bps still decide.
    const replay = replayRebalances({
      basket: { ...slipped, slippageBps: dec(0) },
      quoteAsset: "USDT",
      initialBalance: slipped.initialBalance,
      records,
      ledger,
    });
    expect(replay.runs).toBe(30);
    expect([replay.equal, replay.differences.length, replay.unaccounted]).toEqual([30, 0, 0]);
  });

  it("names the scheduled times between the first and the last run that no run decided", async () => {
    const pairs = twoLegs();
    const daily = basket({ bandPct: dec(1) });
    const clock = { now: 0 };
    const { rebalancer, repository } = rebalancerOn(pairs, daily, clock);
    const start = (pairs[0]?.candles[60]?.openTime ?? 0) + DAY;
    const skipped = [start + 5 * DAY, start + 12 * DAY];
    for (let close = start; close <= start + 19 * DAY; close += DAY) {
      if (skipped.includes(close)) continue;
      clock.now = close;
      await rebalancer.run({ accountId: "basket", scheduledTime: close, dryRun: false });
    }
    const recorded = await allPages((cursor) =>
      repository.cycleHistory("basket", REBALANCE_PAIR, "1d", cursor ? { cursor } : {}),
    );
    const replay = replayRebalances({
      basket: daily,
      quoteAsset: "USDT",
      initialBalance: daily.initialBalance,
      records: recorded,
      ledger: await allPages((cursor) =>
        repository.listTrades("basket", { limit: 1000, ...(cursor ? { cursor } : {}) }),
      ),
    });
    expect(replay.runs).toBe(18);
    expect(replay.missed).toEqual({ count: 2, closes: skipped.map((t) => new Date(t).toISOString()) });
    expect(replay.lastRun).toBe(new Date(start + 19 * DAY).toISOString());
    expect(replay.equal).toBe(18);
    // Against the basket backtested without the gaps: the two missed times traded there, and the
    // account differs by exactly what they left (both valued at the last run's closes).
    const state = await repository.loadState("basket");
    const path = await rebalancePath({
      basket: daily,
      quoteAsset: "USDT",
      pairs,
      records: recorded,
      balances: state?.account.balances ?? {},
      stores: memoryReplayStores,
    });
    const full = await runRebalance({
      basket: daily,
      quoteAsset: "USDT",
      pairs,
      from: start - DAY,
      to: start + 18 * DAY,
      stores: memoryReplayStores,
    });
    const tradedAt = (t: number) =>
      full.results.find((r) => r.signal?.close === new Date(t).toISOString())?.legs?.length ?? 0;
    expect(path?.tradedWhereMissed).toBe(skipped.filter((t) => tradedAt(t) > 0).length);
    expect(path?.tradedWhereMissed).toBeGreaterThan(0);
    expect(path?.backtestEquity).toBe(full.marks.at(-1)?.equity.toFixed());
    const liveEquity = dec(path?.liveEquity ?? "0");
    expect(liveEquity.minus(dec(path?.backtestEquity ?? "0")).toFixed()).toBe(path?.difference);
    expect(dec(path?.difference ?? "0").eq(0)).toBe(false);
    // From the missed run on, the live runs traded from other balances: some decided otherwise, none before it.
    expect(path?.firstDifferent === undefined || path.firstDifferent > (skipped[0] ?? 0)).toBe(true);
    // Without a gap the path is the account, to the last digit.
    const whole = rebalancerOn(pairs, daily, clock);
    for (let close = start; close <= start + 19 * DAY; close += DAY) {
      clock.now = close;
      await whole.rebalancer.run({ accountId: "basket", scheduledTime: close, dryRun: false });
    }
    const records = await allPages((cursor) =>
      whole.repository.cycleHistory("basket", REBALANCE_PAIR, "1d", cursor ? { cursor } : {}),
    );
    const same = await rebalancePath({
      basket: daily,
      quoteAsset: "USDT",
      pairs,
      records,
      balances: (await whole.repository.loadState("basket"))?.account.balances ?? {},
      stores: memoryReplayStores,
    });
    expect([same?.difference, same?.differentRuns, same?.tradedWhereMissed]).toEqual(["0", 0, 0]);
  });
});
