import { describe, expect, it } from "vitest";
import { DEFAULT_CYCLE_CONFIG } from "../../../shared/adapters/config/default-cycle-config.ts";
import { basketDigest } from "../../../shared/application/alerts/basket-digest.ts";
import { sendDigests } from "../../../shared/application/alerts/daily-digest.ts";
import { money, percent, signedMoney } from "../../../shared/application/format.ts";
import { silentLogger } from "../../../shared/application/ports/logger.ts";
import { dec, ZERO } from "../../../shared/domain/money/decimal.ts";
import { basket, rebalancerOn, twoLegs } from "../../helpers/rebalance-basket.ts";

const DAY = 86_400_000;

describe("a rebalancing account's daily digest", () => {
  it("values its holdings at its last run's closes, with the day's change, weights against targets and fills; sent once a day", async () => {
    const pairs = twoLegs();
    const daily = basket(); // band 0: it trades at every run
    const clock = { now: 0 };
    const { rebalancer, repository } = rebalancerOn(pairs, daily, clock);
    const start = (pairs[0]?.candles[60]?.openTime ?? 0) + DAY;
    const results = [];
    for (let close = start; close <= start + 3 * DAY; close += DAY) {
      clock.now = close + 60_000;
      results.push(await rebalancer.run({ accountId: "basket", scheduledTime: close, dryRun: false }));
    }
    // The digest at noon after the last run: its equity at that run's closes, the change since the run a day before it.
    const at = start + 3 * DAY + 12 * 3_600_000;
    const digest = await basketDigest(repository, daily, at);
    const state = await repository.loadState("basket");
    const last = results.at(-1)?.signal as unknown as { prices: Record<string, string> };
    const held = (asset: string) => state?.account.balances[asset] ?? ZERO;
    const equity = held("USDT")
      .plus(held("BNB").times(last.prices.BNBUSDT ?? "0"))
      .plus(held("ETH").times(last.prices.ETHUSDT ?? "0"));
    const dayBefore = dec(results.at(-2)?.account?.equity ?? "0");
    const lines = digest?.message.split("\n") ?? [];
    expect(lines[1]).toBe(
      `Equity: ${money(equity)} USDT (${signed(equity.minus(dayBefore))} USDT, ${pct(equity.minus(dayBefore).div(dayBefore))} over 24 hours), at the closes of its last run, ${minute(start + 3 * DAY)}`,
    );
    expect(lines[2]).toBe(`Cash: ${money(held("USDT"))} USDT`);
    expect(lines[3]).toBe("Rebalances at every 1d close");
    expect(lines[4]).toMatch(/^ {2}BNBUSDT: [\d.]+ @ [\d.]+, \d\d\.\d\d % \(target 40\.00 %\)$/);
    expect(lines[5]).toMatch(/^ {2}ETHUSDT: [\d.]+ @ [\d.]+, \d\d\.\d\d % \(target 30\.00 %\)$/);
    // The fills of the last 24 hours: the last run's legs only.
    const legs = results.at(-1)?.legs ?? [];
    expect(legs.length).toBeGreaterThan(0);
    expect(lines[6]).toBe(`Fills: ${legs.length}`);
    expect(lines.slice(7, 7 + legs.length).map((l) => l.split(" ").slice(5, 9).join(" "))).toEqual(
      legs.map((l) => `${l.side} ${l.symbol} 1d ${l.quantity}`),
    );
    expect(lines.at(-1)).toBe("Failed runs: none");
    expect(digest?.subject).toBe(
      `Daily digest basket ${minute(at).slice(0, 10)}: equity ${money(equity)} USDT (${signed(equity.minus(dayBefore))})`,
    );
    // Sent with the trading accounts' digests, once per day whatever the deliveries.
    const sent: string[] = [];
    const deps = {
      history: repository,
      outbox: repository,
      alerts: { publish: async (a: { subject: string }) => void sent.push(a.subject) },
      logger: silentLogger,
      now: () => at,
      config: { ...DEFAULT_CYCLE_CONFIG, defaultAccountId: "nobody" },
      baskets: [daily],
    };
    expect((await sendDigests(deps, at)).map((o) => [o.accountId, o.queued])).toEqual([["basket", true]]);
    expect((await sendDigests(deps, at)).map((o) => [o.accountId, o.queued])).toEqual([["basket", false]]);
    expect(sent).toEqual([digest?.subject]);
  });
});

const signed = signedMoney;
const pct = (d: ReturnType<typeof dec>) => percent(Number(d.times(100)));
const minute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
