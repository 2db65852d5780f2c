import type { Position, Trade } from "../../domain/account/account.ts";
import { timeframeMs } from "../../domain/market/timeframe.ts";
import { type Decimal, dec } from "../../domain/money/decimal.ts";
import { ACCOUNT_SCOPE, type Lock, MAX_RISK_EXITS, MAX_RISK_MARKS } from "../../domain/trading/risk-state.ts";
import { boundedId, cutText } from "../cut-text.ts";
import { money, percentOf, signedMoney, utcTime } from "../format.ts";
import { SIGNALS_ACCOUNT as SIGNALS_OUTBOX } from "../ports/alert-outbox.ts";
import type { Alert } from "../ports/alerts.ts";

/** How many decimals the symbol's prices and quantities have (from its tick and lot steps). */
export interface Precision {
  readonly price: number;
  readonly quantity: number;
}

/** `<account>/<symbol>/<timeframe>/<candle ISO>/<what>`: one cycle commits once, so this names one alert. */
export const alertId = (
  accountId: string,
  symbol: string,
  timeframe: string,
  candleTime: number,
  what: string,
) => boundedId(`${accountId}/${symbol}/${timeframe}/${new Date(candleTime).toISOString()}/${what}`);

const utc = utcTime;

export interface TradeAlertContext {
  readonly accountId: string;
  /** The cycle's pair. */
  readonly symbol: string;
  readonly timeframe: string;
  /** Open time of the cycle's candle (epoch ms): with the account and pair, what names its alerts. */
  readonly candleTime: number;
  /** Close time of the cycle's candle (epoch ms). */
  readonly closedAt: number;
  readonly precision: Precision;
  readonly signalReason: string;
  readonly usdtFree: Decimal;
  readonly equity: Decimal;
}

export function entryAlert(trade: Trade, position: Position, ctx: TradeAlertContext): Alert {
  const { precision: p } = ctx;
  const qty = trade.quantity.toFixed(p.quantity);
  const price = trade.price.toFixed(p.price);
  return {
    id: alertId(ctx.accountId, trade.symbol, trade.timeframe, ctx.candleTime, "entry"),
    subject: `BUY ${trade.symbol} ${trade.timeframe}: ${qty} @ ${price} ${trade.quoteAsset} (paper)`,
    message: [
      `Paper trade: BUY ${qty} ${trade.baseAsset} at ${price} ${trade.quoteAsset} (${trade.symbol}, ${trade.timeframe}).`,
      `Candle closed: ${utc(ctx.closedAt)}`,
      `Notional: ${money(trade.quoteAmount)} ${trade.quoteAsset}, fee ${trade.fee.toFixed()} ${trade.quoteAsset}`,
      ...exitLines(position, p.price),
      `Why: ${ctx.signalReason}`,
      `Account ${ctx.accountId}: ${money(ctx.usdtFree)} USDT free, equity ${money(ctx.equity)} USDT`,
    ].join("\n"),
    attributes: { event: "entry", symbol: trade.symbol, timeframe: trade.timeframe, action: "BUY" },
  };
}

/** The position's exits, as the entry alert states them (none: the strategy's SELL closes it). */
function exitLines(position: Position, places: number): string[] {
  const { stopLoss, takeProfit1, takeProfit2, tp1Fraction, trailing } = position;
  const part = tp1Fraction.eq("0.5") ? "half" : `${tp1Fraction.times(100).toFixed()}%`;
  const lines = [
    ...(stopLoss ? [`Stop loss: ${stopLoss.toFixed(places)}`] : []),
    ...(takeProfit1 ? [`Take profit 1: ${takeProfit1.toFixed(places)} (${part})`] : []),
    ...(takeProfit2
      ? [`${takeProfit1 ? "Take profit 2" : "Take profit"}: ${takeProfit2.toFixed(places)} (the rest)`]
      : []),
    ...(trailing
      ? [
          `Trailing stop: from a close of ${trailing.activation.toFixed(places)} on, ${trailing.distance.times(100).toFixed()} % below the highest close`,
        ]
      : []),
  ];
  return lines.length ? lines : ["Exits: none set; the strategy's SELL signal closes the position"];
}

const EXIT_NAMES: Record<string, string> = {
  stop: "stop loss",
  "trailing-stop": "trailing stop",
  "forced-exit": "forced exit (/forceexit)",
  tp1: "take profit 1",
  tp2: "take profit 2",
  signal: "SELL signal",
};

export function exitAlert(trade: Trade, entryPrice: Decimal, ctx: TradeAlertContext): Alert {
  const { precision: p } = ctx;
  const pnl = trade.realizedPnl ?? dec(0);
  const percent = percentOf(pnl, entryPrice.times(trade.quantity));
  const qty = trade.quantity.toFixed(p.quantity);
  const price = trade.price.toFixed(p.price);
  const reason = EXIT_NAMES[trade.reason] ?? trade.reason;
  return {
    id: alertId(ctx.accountId, trade.symbol, trade.timeframe, ctx.candleTime, `exit-${trade.sequence}`),
    subject: `SELL ${trade.symbol} ${trade.timeframe} (${reason}): ${signedMoney(pnl)} USDT (${percent})`,
    message: [
      `Paper trade: SELL ${qty} ${trade.baseAsset} at ${price} ${trade.quoteAsset} (${trade.symbol}, ${trade.timeframe}), ${reason}.`,
      `Candle closed: ${utc(trade.candleTime + timeframeMs(trade.timeframe))}${trade.candleTime + timeframeMs(trade.timeframe) === ctx.closedAt ? "" : ` (caught up by the cycle of the candle that closed ${utc(ctx.closedAt)})`}`,
      `Entry price: ${entryPrice.toFixed(p.price)}`,
      `Realised PnL (after the exit's fee): ${signedMoney(pnl)} USDT (${percent}), fee ${trade.fee.toFixed()} USDT`,
      `Account ${ctx.accountId}: ${money(ctx.usdtFree)} USDT free, equity ${money(ctx.equity)} USDT`,
    ].join("\n"),
    attributes: { event: "exit", symbol: trade.symbol, timeframe: trade.timeframe, action: "SELL" },
  };
}

export function failureAlert(
  accountId: string,
  symbol: string,
  timeframe: string,
  candleTime: number,
  candleClose: number,
  error: { type: string; message: string; retryable: boolean },
): Alert {
  return {
    id: alertId(accountId, symbol, timeframe, candleTime, "failure"),
    subject: cutText(`FAILED ${symbol} ${timeframe} cycle: ${error.type}`, 99),
    message: [
      `The trading cycle for ${symbol} ${timeframe}, candle closed ${utc(candleClose)}, failed.`,
      `${error.type}: ${cutText(error.message, 1_000)}`,
      error.type === "DeadlineExceededError"
        ? "The cycle ran out of time and is tried again: if its commit went through, the retry reports it and sends its alerts. This alert is sent once per candle."
        : error.type === "RepositoryUnavailableError"
          ? "The store failed during the cycle: its commit may have gone through. The cycle is tried again: if it did, the retry reports it and sends its alerts. This alert is sent once per candle."
          : error.retryable
            ? "Nothing was written for this candle. The cycle is tried again (Lambda retries it; the local runner at the next close); this alert is sent once per candle."
            : "Nothing was written for this candle, and trying again will not help: fix what the error names. This alert is sent once per candle.",
    ].join("\n"),
    attributes: { event: "failure", symbol, timeframe, action: "FAILED" },
  };
}

/** An alert-only entry's BUY or SELL: what the strategy says, for a person to act on or not. */
export function signalAlert(
  strategy: string,
  symbol: string,
  timeframe: string,
  candleTime: number,
  candleClose: number,
  signal: { action: string; reason: string; price: number },
): Alert {
  return {
    id: alertId(SIGNALS_OUTBOX, symbol, timeframe, candleTime, `signal-${strategy}`),
    subject: cutText(`${signal.action} signal ${symbol} ${timeframe} (${strategy}) at ${signal.price}`, 99),
    message: [
      `Signal, no trade: ${strategy} says ${signal.action} for ${symbol} ${timeframe} at ${signal.price}.`,
      `Candle closed: ${utc(candleClose)}`,
      `Why: ${signal.reason}`,
    ].join("\n"),
    attributes: { event: "signal", symbol, timeframe, action: signal.action },
  };
}

/** A protection that engaged (no new entries on its scope until a time) or released, told once. */
export function protectionAlert(
  lock: Lock,
  change: "engaged" | "released",
  ctx: { accountId: string; symbol: string; timeframe: string; candleTime: number; closedAt: number },
): Alert {
  const name = PROTECTION_NAMES[lock.protection];
  const scope =
    lock.scope === ACCOUNT_SCOPE ? `account ${ctx.accountId}` : `${lock.scope} of account ${ctx.accountId}`;
  const what = `${lock.protection}-${lock.scope.replace(/\s+/g, "-")}-${change}`;
  return {
    id: alertId(ctx.accountId, ctx.symbol, ctx.timeframe, ctx.candleTime, what),
    subject: cutText(`PROTECTION ${change === "engaged" ? "ON" : "OFF"}: ${name}, ${scope}`, 99),
    message: [
      change === "engaged"
        ? `No new entries on ${scope} until ${utc(lock.until)} (exits keep running).`
        : `New entries allowed again on ${scope}: the ${name} engaged at ${utc(lock.since)} ran out.`,
      `Why: ${lock.reason}`,
      `Candle closed: ${utc(ctx.closedAt)}`,
    ].join("\n"),
    attributes: {
      event: "protection",
      symbol: ctx.symbol,
      timeframe: ctx.timeframe,
      action: change === "engaged" ? "ENGAGED" : "RELEASED",
    },
  };
}

/** A BUY signal the account did not take because a person paused it (/pause): told once per candle. */
export function pausedEntryAlert(
  why: string,
  ctx: { accountId: string; symbol: string; timeframe: string; candleTime: number; closedAt: number },
): Alert {
  return {
    id: alertId(ctx.accountId, ctx.symbol, ctx.timeframe, ctx.candleTime, "paused-entry"),
    subject: cutText(
      `PAUSED: BUY signal ${ctx.symbol} ${ctx.timeframe} not taken (account ${ctx.accountId})`,
      99,
    ),
    message: [
      `BUY signal for ${ctx.symbol} ${ctx.timeframe} not taken: ${why}.`,
      "Exits, stops and take-profits go on; /resume lets entries in again.",
      `Candle closed: ${utc(ctx.closedAt)}`,
    ].join("\n"),
    attributes: { event: "protection", symbol: ctx.symbol, timeframe: ctx.timeframe, action: "PAUSED" },
  };
}

/** The account's protections' state was over its caps as read (an older version, or a look-back since shortened): cut to them, once. */
export function riskStateTrimmedAlert(
  trimmed: { readonly marks: number; readonly exits: number },
  ctx: { accountId: string; symbol: string; timeframe: string; candleTime: number; closedAt: number },
): Alert {
  return {
    id: alertId(ctx.accountId, ctx.symbol, ctx.timeframe, ctx.candleTime, "risk-state-trimmed"),
    subject: cutText(`PROTECTIONS' STATE TRIMMED: account ${ctx.accountId}`, 99),
    message: [
      `Account ${ctx.accountId}'s protections' state was larger than it may be: its ${trimmed.marks} oldest equity mark(s) and ${trimmed.exits} oldest exit(s) were dropped (at most ${MAX_RISK_MARKS.toLocaleString("en")} marks and ${MAX_RISK_EXITS.toLocaleString("en")} exits are kept), so the account item stays under DynamoDB's 400 KB and the account trades on.`,
      `A protection that looks further back than what is kept sees less history until it fills again.`,
      `Candle closed: ${utc(ctx.closedAt)}`,
    ].join("\n"),
    attributes: { event: "protection", symbol: ctx.symbol, timeframe: ctx.timeframe, action: "TRIMMED" },
  };
}

const PROTECTION_NAMES: Record<Lock["protection"], string> = {
  cooldown: "cooldown",
  stopLossGuard: "stop-loss guard",
  maxDrawdown: "maximum drawdown",
  dailyLossLimit: "daily loss limit",
};
