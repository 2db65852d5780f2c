import type { Account, Trade } from "../../domain/account/account.ts";
import { sumMovements } from "../../domain/account/ledger.ts";
import { ZERO } from "../../domain/money/decimal.ts";
import type { CycleDecision } from "../../domain/trading/decide-cycle.ts";

/**
 * An in-memory account after one decision, as the cycle's commit leaves it: the fills' movements on
 * the balances, the version moved, the protections' state kept; the fills, for the ledger.
 */
export function accountAfter(
  account: Account,
  decision: CycleDecision,
): { account: Account; fills: Trade[] } {
  const fills = [...decision.exits, ...(decision.entry ? [decision.entry] : [])];
  if (fills.length === 0 && !decision.risk) return { account, fills };
  const balances = { ...account.balances };
  for (const [asset, delta] of Object.entries(sumMovements(fills)))
    balances[asset] = (balances[asset] ?? ZERO).plus(delta);
  return {
    account: {
      ...account,
      balances,
      version: account.version + 1,
      ...(decision.risk ? { risk: decision.risk.state } : {}),
    },
    fills,
  };
}
