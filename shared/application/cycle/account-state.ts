import { newAccount } from "../../domain/account/account.ts";
import type { AccountState, AccountStore } from "../ports/account-repository.ts";
import type { CycleConfig } from "./config.ts";
import type { CycleRequest } from "./request.ts";

/**
 * The account a cycle decides on: as stored, or, the first time, opened with the configured
 * balance (a dry run opens nothing: it decides on a new account in memory).
 */
export async function accountState(
  repository: AccountStore,
  config: CycleConfig,
  request: CycleRequest,
  now: number,
): Promise<AccountState> {
  const state = await repository.loadState(request.accountId);
  if (state) return state;
  const created = new Date(now);
  if (request.dryRun) {
    const account = newAccount(request.accountId, config.initialBalance, created, config.quoteAsset);
    return { account, positions: [] };
  }
  const account = await repository.openAccount(
    request.accountId,
    config.initialBalance,
    created,
    config.quoteAsset,
  );
  // Another cycle may have opened it first, and traded already: read it as it is now.
  return (await repository.loadState(request.accountId)) ?? { account, positions: [] };
}
