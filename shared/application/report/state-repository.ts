import type { AccountRepository, AccountState } from "../ports/account-repository.ts";

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
    queueAlertOnce: readOnly,
    pendingAlerts: async () => [],
    leaseAlert: readOnly,
    releaseAlert: readOnly,
    alertSent: readOnly,
    setAsideAlert: readOnly,
    deadLetters: async () => [],
    noteRefusal: readOnly,
    cycleNotes: async () => [],
    listTrades: async () => ({ items: [] }),
    cycleHistory: async () => ({ items: [] }),
  };
}
