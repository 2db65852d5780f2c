import { TradingBotError } from "../../domain/errors.ts";
import { isTimeframe, SYMBOL_PATTERN, TIMEFRAMES, type Timeframe } from "../../domain/market/timeframe.ts";
import { cutText, echoJson } from "../cut-text.ts";

/** What one cycle is asked to do: the scheduled rule's input, or a manual invoke. */
export interface CycleRequest {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly accountId: string;
  readonly dryRun: boolean;
  /** When the schedule fired (epoch ms): the cycle is for the candle that closed by then. */
  readonly scheduledTime: number | undefined;
  /** The strategy: the watchlist entry's when absent. */
  readonly strategy: string | undefined;
  /** A dry run's own strategy parameters. */
  readonly params: Readonly<Record<string, string | number>> | undefined;
  /** "signals": the alert-only entry of the pair; default "trade". */
  readonly mode: "trade" | "signals";
}

/** A live, scheduled trade request as a replay builds it (the backtest, the report): nothing to parse. */
export function scheduledRequest(
  pair: { readonly symbol: string; readonly timeframe: Timeframe; readonly accountId: string },
  scheduledTime: number,
  dryRun = false,
): CycleRequest {
  return { ...pair, dryRun, scheduledTime, strategy: undefined, params: undefined, mode: "trade" };
}

/** An event the cycle refuses to run: retrying the same input cannot help. */
export class InvalidRequestError extends TradingBotError {
  override readonly name: string = "InvalidRequestError";
  readonly retryable = false;
}

/** How much of an input a message echoes: enough to recognise it, never the whole of a huge one. */
export const ECHO_CHARS = 100;
/** An input value as messages quote it: JSON, cut to ECHO_CHARS. */
const echo = (value: unknown): string => echoJson(value, ECHO_CHARS);

const FIELDS = ["symbol", "timeframe", "accountId", "dryRun", "scheduledTime", "strategy", "params", "mode"];
const STRATEGY_NAME = /^[a-z0-9-]{1,40}$/;
/** An account id: 1-64 letters, digits, "-" or "_" (the settings and the watchlist use the same). */
export const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Validates an event strictly: unknown fields are refused, so a typo such as "dryrun" can
 * never run a live paper trade.
 */
export function parseCycleRequest(event: unknown, defaultAccountId: string): CycleRequest {
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw new InvalidRequestError(
      `the event must be a JSON object like {"symbol":"BNBUSDT","timeframe":"4h"}`,
    );
  }
  const input = event as Record<string, unknown>;
  const unknown = Object.keys(input).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) {
    throw new InvalidRequestError(
      `unknown field(s) ${cutText(unknown.map((k) => `"${k}"`).join(", "), ECHO_CHARS)}; allowed: ${FIELDS.join(", ")}`,
    );
  }
  const { symbol, timeframe, accountId = defaultAccountId, dryRun = false, scheduledTime } = input;
  if (typeof symbol !== "string" || !SYMBOL_PATTERN.test(symbol)) {
    throw new InvalidRequestError(
      `symbol must be a Binance symbol in capitals such as "BNBUSDT", got ${echo(symbol)}`,
    );
  }
  if (!isTimeframe(timeframe)) {
    throw new InvalidRequestError(
      `timeframe must be one of ${TIMEFRAMES.join(", ")}, got ${echo(timeframe)}`,
    );
  }
  if (typeof accountId !== "string" || !ACCOUNT_ID.test(accountId)) {
    throw new InvalidRequestError(
      `accountId must be 1-64 letters, digits, "-" or "_", got ${echo(accountId)}`,
    );
  }
  if (typeof dryRun !== "boolean")
    throw new InvalidRequestError(`dryRun must be true or false, got ${echo(dryRun)}`);
  const time = scheduledTime === undefined ? undefined : parseUtcTime(scheduledTime);
  const { strategy, params, mode = "trade" } = input;
  if (strategy !== undefined && (typeof strategy !== "string" || !STRATEGY_NAME.test(strategy)))
    throw new InvalidRequestError(
      `strategy must be a strategy's name such as "ma-distance", got ${echo(strategy)}`,
    );
  if (mode !== "trade" && mode !== "signals")
    throw new InvalidRequestError(`mode must be "trade" or "signals", got ${echo(mode)}`);
  if (params !== undefined) {
    if (dryRun !== true)
      throw new InvalidRequestError(
        "params are for dry runs only: a live cycle takes its strategy's parameters from the watchlist",
      );
    const valid =
      typeof params === "object" &&
      params !== null &&
      !Array.isArray(params) &&
      Object.values(params).every((v) => typeof v === "number" || typeof v === "string");
    if (!valid)
      throw new InvalidRequestError(
        `params must be an object of numbers such as {"maPeriod": 100}, got ${echo(params)}`,
      );
  }
  return {
    symbol,
    timeframe,
    accountId,
    dryRun,
    scheduledTime: time,
    strategy: strategy as string | undefined,
    params: params as Readonly<Record<string, string | number>> | undefined,
    mode,
  };
}

/**
 * The daily digest rule's event, `{"digest": true, "scheduledTime": "<ISO UTC>"}` (the time may be
 * absent, as in older rules): its scheduled time, null when it has none; undefined when the event
 * is not a digest event.
 */
export function parseDigestEvent(event: unknown): { scheduledTime: number | null } | undefined {
  if (typeof event !== "object" || event === null || (event as { digest?: unknown }).digest !== true)
    return undefined;
  const { digest: _, scheduledTime, ...rest } = event as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return undefined;
  return { scheduledTime: scheduledTime === undefined ? null : parseUtcTime(scheduledTime) };
}

const STRICT_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?Z$/;

/**
 * `scheduledTime` as EventBridge writes it: strict ISO-8601 UTC (`2025-05-18T20:00:00Z`, optional
 * milliseconds). Anything else (`Date.parse` would take "0", "2025", "May 18 2025", times without
 * a zone, or turn 2025-02-30 into 2 March) is refused, naming the field.
 */
export function parseUtcTime(value: unknown): number {
  const refuse = () =>
    new InvalidRequestError(
      `scheduledTime must be an ISO-8601 UTC time such as "2025-05-18T20:00:00Z", got ${echo(value)}`,
    );
  const match = typeof value === "string" ? STRICT_UTC.exec(value) : null;
  if (!match) throw refuse();
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  const time =
    Date.UTC(year as number, (month as number) - 1, day, hour, minute, second) + Number(match[7] ?? 0) * 1000;
  const back = new Date(time);
  const same =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() + 1 === month &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  if (!same || year < 2000) throw refuse();
  return time;
}
