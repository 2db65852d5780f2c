import { describe, expect, it, vi } from "vitest";
import { BNBUSDT_INFO } from "../../cli/stand-ins/binance-stand-in.ts";
import { CYCLE_METRICS } from "../../shared/application/cycle/index.ts";
import { BUY, STOPPED, useHandler } from "../helpers/handler-harness.ts";

const h = useHandler();

/** Every (metric name, dimensions) series in the EMF lines printed so far. */
function series(): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of h.printed.flatMap((w) => w.split("\n"))) {
    if (!line.includes('"_aws"')) continue;
    const emf = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    for (const directive of emf._aws.CloudWatchMetrics) {
      const dims = directive.Dimensions.flat()
        .map((d) => `${d}=${String(emf[d])}`)
        .join(",");
      for (const { Name } of directive.Metrics) {
        const key = `${Name}{${dims}}`;
        found.set(key, (found.get(key) ?? 0) + (Number(emf[Name]) >= 0 ? 1 : 0));
      }
    }
  }
  return found;
}

describe("the metrics the function emits", () => {
  it("are at most ten series, whatever happens, and the heartbeat counts live successes only", async () => {
    const clockAt = (i: number) => vi.setSystemTime(Date.parse(h.scheduled(i)) + 5_000);
    await h.run(h.event(BUY, { dryRun: true }), h.context());
    expect([...series().keys()].some((k) => k.startsWith(CYCLE_METRICS.succeeded))).toBe(false);
    h.stack.sns.down = true;
    await h.run(h.event(BUY), h.context()); // a trade, its alert not sent
    h.stack.sns.down = false;
    await h.run(h.event(BUY), h.context()); // duplicate
    await h.run(h.event(BUY + 2), h.context());
    const stale = h.event(BUY + 1);
    clockAt(BUY + 2);
    await h.run(stale, h.context()); // stale
    await h.run({ symbol: "BNBUSDT", timeframe: "4h", accountId: h.accountId, dryrun: true }, h.context());
    h.stack.binance.fail({ kind: "status", status: 503 }, 100);
    await h.run(h.event(BUY + 3), h.context()); // failed
    h.stack.binance.clearFaults();
    await h.run(h.event(STOPPED), h.context()); // the stop
    h.stack.binance.serve("ETHUSDT", "4h", h.stack.binance.servedCandles("BNBUSDT", "4h"), {
      ...BNBUSDT_INFO,
      baseAsset: "ETH",
    });
    await h.run({ ...h.event(STOPPED + 1), symbol: "ETHUSDT" }, h.context()); // another pair of the watchlist

    const found = series();
    const names = [...found.keys()].map((k) => k.slice(0, k.indexOf("{")));
    expect(found.size).toBeLessThanOrEqual(10);
    expect(new Set(names).size).toBe(found.size); // one series per name: no dimension but service
    for (const name of names) expect(Object.values(CYCLE_METRICS)).toContain(name);
    for (const key of found.keys()) expect(key).toMatch(/\{service=trading-cycle\}$/);
    // Live successes: BUY, BUY+2, STOPPED, and ETHUSDT; not the dry run, duplicate, stale, invalid or failed.
    expect(found.get(`${CYCLE_METRICS.succeeded}{service=trading-cycle}`)).toBe(4);
    for (const name of [
      "StaleEvents",
      "InvalidEvents",
      "DuplicateDeliveries",
      "CyclesFailed",
      "AlertFailures",
      "Fills",
    ])
      expect(names).toContain(name);
  }, 60_000);
});
