import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { readLocalConfig } from "../../cli/local/local-config.ts";
import { createLocalCycle } from "../../cli/local/local-cycle.ts";
import { openLocalStore } from "../../cli/local/local-store.ts";
import { BinanceStandIn, BNBUSDT_INFO } from "../../cli/stand-ins/binance-stand-in.ts";
import { scheduledEvent } from "../../shared/adapters/config/watchlist.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { closeOf, hourlyCandles } from "./hourly-market.ts";
import { runCliAsync } from "./run-cli.ts";

// Local-runner sessions for `npm run report`'s tests: the local cycle on the persisted store,
// Binance on loopback, the report run as a person runs it.
// The real 4h candles, one hour apart: traded as BNBUSDT 1h by ma-distance, a trade every few dozen candles.
export const candles = hourlyCandles;
// Sessions run an hour of market a few milliseconds: Binance's per-minute weight is not theirs to keep.
const FAST_WEIGHT = "1000000";
/** The close of candle i as the report prints it (without " UTC"). */
export const at = (i: number) => new Date(closeOf(i)).toISOString().slice(0, 16).replace("T", " ");

let server: BinanceStandIn;

/** The Binance stand-in of this test file; `useReportMarket()` starts it before the file's tests. */
export const binance = () => server;

/** Starts the stand-in (BNBUSDT and ETHUSDT 1h) before the calling file's tests, closes it after. */
export function useReportMarket(): void {
  beforeAll(async () => {
    server = await BinanceStandIn.start();
    server.serve("BNBUSDT", "1h", candles);
    // A second market: the same real candles 200 hours further on, at the same times, scaled.
    const eth = candles.map((c, i) => {
      const s = candles[(i + 200) % candles.length] as Candle;
      return {
        ...s,
        openTime: c.openTime,
        open: s.open * 3,
        high: s.high * 3,
        low: s.low * 3,
        close: s.close * 3,
      };
    });
    server.serve("ETHUSDT", "1h", eth, { ...BNBUSDT_INFO, baseAsset: "ETH" });
  });
  afterAll(async () => server.close());
}

export interface Session {
  readonly dir: string;
  readonly config: string;
}

export function newSession(params: Record<string, number> = {}, symbols = ["BNBUSDT"]): Session {
  const dir = mkdtempSync(join(tmpdir(), "live-report-"));
  const session = { dir, config: join(dir, "cdk.json") };
  configure(session, params, symbols);
  return session;
}

export function configure(session: Session, params: Record<string, number>, symbols = ["BNBUSDT"]) {
  const watchlist = symbols.map((symbol) => ({
    symbol,
    timeframes: ["1h"],
    strategy: "ma-distance",
    params,
  }));
  writeFileSync(session.config, JSON.stringify({ context: { tradingBot: { watchlist } } }));
}

/**
 * What `npm start` does at each close, in this process and without the waiting: the local cycle
 * (the same code and adapters as the runner), the persisted embedded store, Binance on loopback.
 * `before(i)` runs before the cycle of candle i (to inject a fault), `after(i)` once it ended.
 */
export async function run(
  session: Session,
  from: number,
  to: number,
  hooks: { before?: (i: number) => void; after?: (i: number) => void } = {},
) {
  const env = { BINANCE_BASE_URL: server.url, BINANCE_WEIGHT_PER_MINUTE: FAST_WEIGHT };
  const config = readLocalConfig(session.config, env);
  const fast = {
    ...config,
    binance: { ...config.binance, maxAttempts: 2, backoffBaseMs: 1, backoffMaxMs: 2 },
  };
  const store = await openLocalStore({ memory: false, dataDir: session.dir });
  let now = closeOf(from);
  const clock = { now: () => now, sleepUntil: async () => {} };
  const local = createLocalCycle({ store, config: fast, clock, pretty: true, env: {}, write: () => {} });
  const statuses: string[] = [];
  const failures: string[] = [];
  try {
    for (let i = from; i <= to; i++) {
      now = closeOf(i) + 2_000;
      server.now = () => now;
      hooks.before?.(i);
      // The pairs closing now, one after the other in watchlist order, as the runner runs them.
      for (const pair of config.settings.pairs) {
        const result = await local.run({
          ...scheduledEvent(pair),
          scheduledTime: new Date(closeOf(i)).toISOString(),
        });
        statuses.push(result.status);
        if (result.status === "failed")
          failures.push(`${i} ${pair.symbol}: ${result.error?.type}: ${result.error?.message}`);
      }
      hooks.after?.(i);
    }
  } finally {
    server.now = Date.now;
    await store.close();
  }
  return Object.assign(statuses, { failures });
}

/** `npm run report` on a session, as a person runs it; `json` parsed when asked for. */
export async function report(session: Session, ...args: string[]) {
  const out = await runCliAsync("report", ["--config", session.config, "--data-dir", session.dir, ...args], {
    BINANCE_BASE_URL: server.url,
    BINANCE_WEIGHT_PER_MINUTE: FAST_WEIGHT,
  });
  return { ...out, json: args.includes("--json") && out.stdout ? JSON.parse(out.stdout) : undefined };
}
