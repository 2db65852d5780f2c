import { BinanceStandIn } from "../../cli/stand-ins/binance-stand-in.ts";
import type { Candle } from "../../shared/domain/market/candle.ts";
import { type Timeframe, timeframeMs } from "../../shared/domain/market/timeframe.ts";
import { DynamoDbFaultProxy } from "./dynamodb-fault-proxy.ts";
import { LOCAL_CREDENTIALS, TestDynamoDb } from "./local-dynamodb.ts";
import { SnsTestEndpoint } from "./sns-test-endpoint.ts";

export const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:trade-alerts";

/**
 * The deployed watchlist the tests' function gets: BNBUSDT, ETHUSDT and ETHBNB on 4h for every
 * account the tests use (each test its own account), alerts of ma-distance on BNBUSDT 4h, and
 * ma-distance trading BNBUSDT 4h for the account "ma".
 */
export const TEST_ACCOUNTS = [
  "paper",
  "replay",
  "crash",
  ...Array.from({ length: 40 }, (_, i) => `acct${i + 1}`),
];
export const TEST_WATCHLIST = JSON.stringify([
  ...TEST_ACCOUNTS.map((account) => ({ symbol: "BNBUSDT", timeframes: ["4h"], account })),
  ...TEST_ACCOUNTS.map((account) => ({ symbol: "ETHUSDT", timeframes: ["4h"], account })),
  ...TEST_ACCOUNTS.map((account) => ({ symbol: "ETHBNB", timeframes: ["4h"], account })),
  { symbol: "BNBUSDT", timeframes: ["4h"], strategy: "ma-distance", mode: "signals" },
  { symbol: "BNBUSDT", timeframes: ["4h"], strategy: "ma-distance", params: { maPeriod: 20 }, account: "ma" },
]);

/**
 * The three local servers the function talks to (Binance test server, DynamoDB Local behind a
 * fault-injecting proxy, SNS endpoint), and the candles shifted so that a chosen candle is the last one to
 * have closed before the current real time.
 */
export class LocalStack {
  readonly binance: BinanceStandIn;
  readonly dynamodb: TestDynamoDb;
  readonly sns: SnsTestEndpoint;
  /** Between the function and DynamoDB: faults DynamoDB produces and no emulator does. */
  readonly dynamodbFaults: DynamoDbFaultProxy;
  tableName = "";

  private constructor(
    binance: BinanceStandIn,
    dynamodb: TestDynamoDb,
    sns: SnsTestEndpoint,
    faults: DynamoDbFaultProxy,
  ) {
    this.binance = binance;
    this.dynamodb = dynamodb;
    this.sns = sns;
    this.dynamodbFaults = faults;
  }

  static async start(): Promise<LocalStack> {
    const [binance, dynamodb, sns] = await Promise.all([
      BinanceStandIn.start(),
      TestDynamoDb.start(),
      SnsTestEndpoint.start(),
    ]);
    const faults = await DynamoDbFaultProxy.start(dynamodb.endpoint);
    const stack = new LocalStack(binance, dynamodb, sns, faults);
    stack.tableName = await dynamodb.createTable();
    return stack;
  }

  /** The environment the deployed function gets, pointed at the local servers. */
  env(): Record<string, string> {
    return {
      TABLE_NAME: this.tableName,
      TRADING_BOT: JSON.stringify({ watchlist: JSON.parse(TEST_WATCHLIST) }),
      ALERT_TOPIC_ARN: TOPIC_ARN,
      BINANCE_BASE_URL: this.binance.url,
      BINANCE_REQUEST_TIMEOUT_MS: "1000",
      BINANCE_CALL_TIMEOUT_MS: "3000",
      // The tests run months of closes in seconds: Binance's per-minute weight is not theirs to keep.
      BINANCE_WEIGHT_PER_MINUTE: "1000000",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: this.dynamodbFaults.url,
      AWS_ENDPOINT_URL_SNS: this.sns.url,
      POWERTOOLS_METRICS_NAMESPACE: "FibonacciPaperTraderTest",
      POWERTOOLS_SERVICE_NAME: "trading-cycle",
    };
  }

  /**
   * Serves `candles` shifted so that candles[last] closes at the latest real boundary of the
   * timeframe; returns, per candle index, the scheduled time of the cycle for that candle.
   */
  serveUntil(
    symbol: string,
    timeframe: Timeframe,
    candles: Candle[],
    last: number,
    /** Shift the candles by whole UTC days (so that what counts days, a daily loss limit, sees the same days). */
    options: { wholeDays?: boolean } = {},
  ): (index: number) => string {
    const ms = timeframeMs(timeframe);
    const lastOpen = (candles[last] as Candle).openTime;
    const day = 86_400_000;
    const offset = options.wholeDays
      ? Math.floor((Date.now() - ms - lastOpen) / day) * day
      : Math.floor(Date.now() / ms) * ms - ms - lastOpen;
    const boundary = lastOpen + offset + ms;
    this.binance.serve(
      symbol,
      timeframe,
      candles.map((c) => ({ ...c, openTime: c.openTime + offset })),
    );
    this.binance.now = () => boundary + 5_000;
    return (index) => new Date((candles[index] as Candle).openTime + offset + ms).toISOString();
  }

  async close(): Promise<void> {
    await this.dynamodbFaults.close();
    await Promise.all([this.binance.close(), this.dynamodb.close(), this.sns.close()]);
  }
}
