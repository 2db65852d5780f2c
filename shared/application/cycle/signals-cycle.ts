import { timeframeMs } from "../../domain/market/timeframe.ts";
import type { ConfiguredStrategy } from "../../domain/strategies/strategy.ts";
import { signalAlert } from "../alerts/alert-messages.ts";
import { type AlertQueue, SIGNALS_ACCOUNT } from "../ports/alert-outbox.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";
import type { MarketData } from "../ports/market-data.ts";
import type { CycleConfig } from "./config.ts";
import { candleCount, evaluateBatch } from "./evaluate-batch.ts";
import type { CycleRequest } from "./request.ts";
import { candleView, signalView } from "./result.ts";

/**
 * An alert-only cycle (`mode: "signals"`): the strategy's signal for the candle that just closed,
 * and for a BUY or SELL one signal alert, queued once per (strategy, pair, candle) however often
 * the event comes (a second delivery answers `duplicate`). No account is read or written.
 */
export async function signalsCycle(
  deps: { readonly market: MarketData; readonly outbox: AlertQueue; readonly config: CycleConfig },
  request: CycleRequest,
  strategy: ConfiguredStrategy,
  closedBy: number,
  candleTime: number,
): Promise<CycleResult> {
  const { market, outbox, config } = deps;
  const { symbol, timeframe } = request;
  const batch = await market.closedCandles({
    symbol,
    timeframe,
    count: candleCount(strategy, config),
    closedBy,
  });
  const { signal, candle } = evaluateBatch(request, strategy, batch, config.window, candleTime);
  const result: CycleResult = {
    status: "ok",
    mode: "signals",
    dryRun: request.dryRun,
    symbol,
    timeframe,
    accountId: SIGNALS_ACCOUNT,
    strategy: strategy.name,
    candle: candleView(candle, timeframe),
    signal: signalView(signal),
    exits: [],
    entry: null,
    position: null,
    durationMs: 0,
  };
  if (request.dryRun || signal.action === "HOLD") return result;
  const close = candle.openTime + timeframeMs(timeframe);
  const alert = signalAlert(strategy.name, symbol, timeframe, candleTime, close, signal);
  const queued = await outbox.queueAlertOnce(
    SIGNALS_ACCOUNT,
    `SIGNAL-${strategy.name}`,
    symbol,
    timeframe,
    candleTime,
    alert,
  );
  return queued ? result : { ...result, status: "duplicate" };
}
