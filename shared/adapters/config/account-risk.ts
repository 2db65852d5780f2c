import { ConfigurationError } from "../../domain/errors.ts";
import { timeframeMs } from "../../domain/market/timeframe.ts";
import { protectionsKeepMs } from "../../domain/trading/protections.ts";
import { riskSettingsJson } from "../../domain/trading/risk-config.ts";
import { NO_RISK_CONTROLS, type RiskSettings } from "../../domain/trading/risk-settings.ts";
import { MAX_RISK_MARKS } from "../../domain/trading/risk-state.ts";
import type { WatchedPair } from "./watchlist.ts";

/**
 * The protections that watch a whole account (maximum drawdown, daily loss limit, a stop-loss
 * guard across the account) are one per account: every pair an account trades must have the same.
 */
/** What the check reads of the settings: the pairs and the configuration's risk settings. */
export interface AccountRiskInput {
  readonly pairs: readonly WatchedPair[];
  readonly risk: RiskSettings;
}

export function checkAccountProtections(settings: AccountRiskInput, where: string): void {
  const seen = new Map<string, { pair: string; json: string }>();
  for (const pair of settings.pairs) {
    if (pair.mode !== "trade") continue;
    const { maxDrawdown, dailyLossPct, stopLossGuard } = (pair.risk ?? settings.risk).protections;
    const json =
      riskSettingsJson({
        ...NO_RISK_CONTROLS,
        protections: {
          maxDrawdown,
          dailyLossPct,
          stopLossGuard: stopLossGuard?.scope === "account" ? stopLossGuard : undefined,
        },
      }) ?? "none";
    const name = `${pair.symbol} ${pair.timeframe}`;
    const first = seen.get(pair.accountId);
    if (!first) seen.set(pair.accountId, { pair: name, json });
    else if (first.json !== json)
      throw new ConfigurationError(
        `${where}.watchlist: account ${pair.accountId}'s pairs ${first.pair} and ${name} have different account-wide protections (${first.json} and ${json}); maxDrawdown, dailyLossPct and an account-scoped stopLossGuard must be the same for every pair of an account`,
      );
  }
  checkRiskStateSize(settings, where);
}

/**
 * What the protections remember lives on the account item: it keeps one equity mark per close
 * of any of the account's pairs over the longest look-back. Refused when that could pass
 * MAX_RISK_MARKS (a commit would then fail for good), naming the look-back and what to do.
 */
function checkRiskStateSize(settings: AccountRiskInput, where: string): void {
  const accounts = new Map<string, { keepMs: number; finest: number; longest: string }>();
  for (const pair of settings.pairs) {
    if (pair.mode !== "trade") continue;
    const p = (pair.risk ?? settings.risk).protections;
    const interval = timeframeMs(pair.timeframe);
    const keepMs = protectionsKeepMs(p, interval);
    const account = accounts.get(pair.accountId) ?? { keepMs: 0, finest: interval, longest: "" };
    if (keepMs > account.keepMs) {
      account.keepMs = keepMs;
      account.longest = `${keepMs / interval} candles of ${pair.symbol} ${pair.timeframe}`;
    }
    account.finest = Math.min(account.finest, interval);
    accounts.set(pair.accountId, account);
  }
  for (const [accountId, a] of accounts) {
    const marks = Math.ceil(a.keepMs / a.finest);
    if (marks > MAX_RISK_MARKS)
      throw new ConfigurationError(
        `${where}.risk: account ${accountId}'s longest look-back (${a.longest}) keeps ${marks.toLocaleString("en")} equity marks of its most frequent pair's closes, more than the ${MAX_RISK_MARKS.toLocaleString("en")} its item holds; shorten lookbackCandles, or trade that pair from another account`,
      );
  }
}
