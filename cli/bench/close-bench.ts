import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BinanceMarketData } from "../../shared/adapters/binance/binance-market-data.ts";
import { WeightBudget } from "../../shared/adapters/binance/weight-budget.ts";
import { cycleConfigOf, parseSettings } from "../../shared/adapters/config/settings.ts";
import { scheduledEvent } from "../../shared/adapters/config/watchlist.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { dynamoDbAccount } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { createTableInput } from "../../shared/adapters/dynamodb/table-definition.ts";
import { parseCycleRequest, TradingCycle } from "../../shared/application/cycle/index.ts";
import { silentLogger } from "../../shared/application/ports/logger.ts";
import { noMetrics } from "../../shared/application/ports/metrics.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { type Timeframe, timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { BinanceStandIn, BNBUSDT_INFO } from "../stand-ins/binance-stand-in.ts";
import { startDynamoDbLocal } from "../stand-ins/dynamodb-local-server.ts";

export interface CloseFigures {
  readonly pairs: number;
  readonly concurrency: number;
  /** From the close (all events fired at once) until the last cycle ended. */
  readonly doneMs: number;
  readonly peakWeightPerMinute: number;
  readonly status429: number;
  readonly status418: number;
  readonly failed: number;
  readonly klinesCalls: number;
  readonly exchangeInfoCalls: number;
  readonly entries: number;
  /** Cycles whose signal was BUY (an entry, or skipped by the position limit). */
  readonly buySignals: number;
}

const HOUR = 3_600_000;

/**
 * One candle close of a 1,000-pair watchlist (500 USDT symbols on 1h and 4h), in this process:
 * the Binance test server counting request weight per minute and answering 429 and 418 as Binance
 * does (6,000 a minute), DynamoDB Local for the account table, and `concurrency` containers — each
 * with its own clients, weight budget and filters cache, as Lambda's would have — taking the
 * close's events as EventBridge hands them out. Every cycle is the Lambda's own code.
 */
export async function benchClose(
  candles: readonly Candle[],
  concurrency = 50,
  symbols = 500,
): Promise<CloseFigures> {
  const binance = await BinanceStandIn.start();
  const dynamodb = await startDynamoDbLocal();
  try {
    // The close: the latest 4h boundary, so that 1h and 4h candles close together. The cycles'
    // clock starts 2 s after it (as when the rules fire), whatever the time of day: up to 4 h after
    // a 4h boundary, the real clock would find the 1h events late and refuse them.
    const close = Math.floor(Date.now() / (4 * HOUR)) * 4 * HOUR;
    const origin = Date.now();
    const now = () => close + 2_000 + (Date.now() - origin);
    // Each pair its own stretch of the real candles, ending somewhere else: the close brings the
    // signals a market does (some BUYs among many HOLDs), all closing at `close`.
    const serve = (timeframe: Timeframe, n: number) => {
      const interval = timeframeMs(timeframe);
      const end = 400 + ((n * 37) % (candles.length - 400));
      const stretch = candles.slice(end - 400, end);
      return stretch.map((c, i) => ({ ...c, openTime: close - (stretch.length - i) * interval }));
    };
    const names = Array.from({ length: symbols }, (_, i) => `C${String(i).padStart(4, "0")}USDT`);
    names.forEach((symbol, i) => {
      binance.serve(symbol, "1h", serve("1h", 2 * i), { ...BNBUSDT_INFO, baseAsset: symbol.slice(0, -4) });
      binance.serve(symbol, "4h", serve("4h", 2 * i + 1), {
        ...BNBUSDT_INFO,
        baseAsset: symbol.slice(0, -4),
      });
    });
    binance.weightLimit = 6_000;
    const settings = parseSettings({
      watchlist: names.map((symbol) => ({ symbol, timeframes: ["1h", "4h"] })),
    });
    const config = cycleConfigOf(settings);
    const tableName = "close-bench";
    const raw = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    await raw.send(new CreateTableCommand(createTableInput(tableName)));
    raw.destroy();
    const events = settings.pairs.map((pair) => ({
      ...scheduledEvent(pair),
      scheduledTime: new Date(close).toISOString(),
    }));
    let next = 0;
    const results: string[] = [];
    let buys = 0;
    const container = async () => {
      const market = new BinanceMarketData({
        baseUrl: binance.url,
        weightBudget: new WeightBudget(),
        callTimeoutMs: 20_000,
        now,
      });
      const client = createDocumentClient({
        endpoint: dynamodb.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      });
      const cycle = new TradingCycle({
        market,
        ...dynamoDbAccount({ client, tableName }),
        alerts: { publish: async () => {} },
        metrics: noMetrics,
        logger: silentLogger,
        now,
        config,
      });
      while (next < events.length) {
        const event = events[next++];
        const result = await cycle.run(parseCycleRequest(event, config.defaultAccountId));
        if (result.signal?.action === "BUY") buys++;
        results.push(
          result.status === "ok"
            ? result.entry
              ? "entry"
              : "ok"
            : `${result.status}: ${result.error?.type}`,
        );
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, container));
    const doneMs = performance.now() - started;
    return {
      pairs: events.length,
      concurrency,
      doneMs,
      peakWeightPerMinute: binance.weightStats.peakPerMinute,
      status429: binance.weightStats.status429,
      status418: binance.weightStats.status418,
      failed: results.filter((r) => r !== "ok" && r !== "entry").length,
      klinesCalls: binance.requestsTo("/api/v3/klines").length,
      exchangeInfoCalls: binance.requestsTo("/api/v3/exchangeInfo").length,
      entries: results.filter((r) => r === "entry").length,
      buySignals: buys,
    };
  } finally {
    await binance.close();
    await dynamodb.close();
  }
}
