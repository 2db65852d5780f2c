import type { AccountRepository, AccountState, AlertOutbox } from "../ports/account-repository.ts";

const readOnly = async (): Promise<never> => {
  throw new Error("a replayed cycle is a dry run: it writes nothing");
};

/** A store that holds one account state and takes no write: what a dry-run replay of one cycle reads. */
export function stateRepository(state: AccountState): AccountRepository {
  return {
    loadState: async () => state,
    openAccount: async () => state.account,
    findCycle: async () => undefined,
    commitCycle: readOnly,
    noteRefusal: readOnly,
    cycleNotes: async () => [],
    listTrades: async () => ({ items: [] }),
    cycleHistory: async () => ({ items: [] }),
  };
}

/** An outbox a dry run never touches: it holds nothing and takes nothing. */
export const noOutbox: AlertOutbox = {
  queueAlertOnce: readOnly,
  pendingAlerts: async () => [],
  leaseAlert: readOnly,
  releaseAlert: readOnly,
  alertSent: readOnly,
  setAsideAlert: readOnly,
  deadLetters: async () => [],
};
