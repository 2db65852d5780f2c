import type { Candle } from "../../domain/market/candle.ts";
import type { CycleDecision } from "../../domain/trading/decide-cycle.ts";
import type { AccountState, CycleCommit } from "../ports/account-repository.ts";
import type { Alert } from "../ports/alerts.ts";
import type { CycleResult } from "../ports/cycle-outcome.ts";
import type { CycleSettings } from "../ports/cycle-record.ts";
import type { SymbolFilters } from "../ports/market-data.ts";
import { cycleBasis } from "./basis.ts";
import type { CycleRequest } from "./request.ts";

/**
 * What one live cycle writes, as the repository commits it in one transaction: the cycle record
 * (with its result, returned to a second delivery), the fills, the pair's position change (put,
 * delete, or none) on the account version the decision was made on, and the alerts of the fills.
 */
export function cycleCommit(
  request: CycleRequest,
  candle: Candle,
  state: AccountState,
  decision: CycleDecision,
  result: CycleResult,
  alerts: readonly Alert[],
  now: number,
  settings: CycleSettings,
  filters: SymbolFilters | undefined,
  /** The candles the decision read, to record its basis; undefined: record none (a replay). */
  window: readonly Candle[] | undefined,
): CycleCommit {
  const { before, after } = decision;
  const position =
    after && after !== before
      ? { kind: "put" as const, position: after, ...(before ? { previousVersion: before.version } : {}) }
      : before && !after
        ? {
            kind: "delete" as const,
            symbol: before.symbol,
            timeframe: before.timeframe,
            previousVersion: before.version,
          }
        : undefined;
  return {
    cycle: {
      accountId: request.accountId,
      symbol: request.symbol,
      timeframe: request.timeframe,
      candleTime: candle.openTime,
      action: result.signal?.action ?? "HOLD",
      outcome: result,
      recordedAt: new Date(now).toISOString(),
      settings,
      ...(filters ? { filters } : {}),
      ...(window
        ? {
            basis: cycleBasis(
              window,
              state.account.version,
              after,
              decision.risk?.state,
              state.account.paused,
            ),
          }
        : {}),
    },
    expectedVersion: state.account.version,
    trades: [...decision.exits, ...(decision.entry ? [decision.entry] : [])],
    alerts,
    ...(position ? { position } : {}),
    ...(decision.risk ? { risk: decision.risk.state } : {}),
  };
}
