import type { AccountState, AccountStore } from "../ports/account-repository.ts";
import type { AlertSender } from "../ports/alert-outbox.ts";

const readOnly = async (): Promise<never> => {
  throw new Error("a replayed cycle is a dry run: it writes nothing");
};

/** A store that holds one account state and takes no write: what a dry-run replay of one cycle reads. */
export function stateRepository(state: AccountState): AccountStore {
  return {
    loadState: async () => state,
    openAccount: async () => state.account,
    findCycle: async () => undefined,
    commitCycle: readOnly,
    noteRefusal: readOnly,
  };
}

/** An outbox a dry run never touches: it holds nothing and takes nothing. */
export const noOutbox: AlertSender = {
  queueAlertOnce: readOnly,
  pendingAlerts: async () => [],
  leaseAlert: readOnly,
  releaseAlert: readOnly,
  alertSent: readOnly,
  setAsideAlert: readOnly,
};
