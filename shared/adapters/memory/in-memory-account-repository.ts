import {
  type AccountRepository,
  type AccountState,
  type CycleCommit,
  type CycleNote,
  type CycleRecord,
  DuplicateCycleError,
  InsufficientBalanceError,
  type Page,
  StaleCycleError,
  type StoredTrade,
  VersionConflictError,
} from "../../application/ports/account-repository.ts";
import type { AlertOutbox } from "../../application/ports/alert-outbox.ts";
import type { Alert, DeadLetter, QueuedAlert } from "../../application/ports/alerts.ts";
import { type Account, newAccount, type Position } from "../../domain/account/account.ts";
import { sumMovements } from "../../domain/account/ledger.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import { type Decimal, ZERO } from "../../domain/money/decimal.ts";

/**
 * The account repository in memory, with the DynamoDB one's rules (one commit per candle,
 * candles only forward, version conditions, no negative balance, the alert outbox): for the backtest and fast application tests.
 */
export class InMemoryAccountRepository implements AccountRepository, AlertOutbox {
  readonly #accounts = new Map<string, Account>();
  readonly #positions = new Map<string, Position>();
  readonly #trades: StoredTrade[] = [];
  readonly #cycles = new Map<string, CycleRecord>();
  readonly #alerts = new Set<string>();
  readonly #notes = new Map<string, { accountId: string; note: CycleNote }>();
  readonly #outbox = new Map<
    string,
    { accountId: string; key: string; alert: QueuedAlert; leaseUntil: number }
  >();
  readonly #dead = new Map<string, { accountId: string; letter: DeadLetter }>();
  /** The last candle committed per account and pair. */
  readonly #lastCandles = new Map<string, number>();

  async openAccount(
    accountId: string,
    initialBalance: Decimal,
    now: Date,
    quoteAsset: string,
  ): Promise<Account> {
    const existing = this.#accounts.get(accountId);
    if (existing) return existing;
    const account = newAccount(accountId, initialBalance, now, quoteAsset);
    this.#accounts.set(accountId, account);
    return account;
  }

  async loadState(accountId: string): Promise<AccountState | undefined> {
    const account = this.#accounts.get(accountId);
    if (!account) return undefined;
    const positions = [...this.#positions.entries()]
      .filter(([key]) => key.startsWith(`${accountId}#`))
      .map(([, p]) => p);
    return { account, positions };
  }

  async findCycle(accountId: string, symbol: string, timeframe: Timeframe, candleTime: number) {
    return this.#cycles.get(`${accountId}#${symbol}#${timeframe}#${candleTime}`);
  }

  async queueAlertOnce(
    accountId: string,
    kind: string,
    symbol: string,
    timeframe: Timeframe,
    candleTime: number,
    alert: Alert,
  ) {
    const key = `${accountId}#${kind}#${symbol}#${timeframe}#${candleTime}`;
    if (this.#alerts.has(key)) return false;
    this.#alerts.add(key);
    if (kind === "FAILURE")
      this.#notes.set(`F#${key}`, { accountId, note: { kind: "failed", symbol, timeframe, candleTime } });
    this.#queue(accountId, alert, new Date().toISOString());
    return true;
  }

  async pendingAlerts(accountId: string, limit: number): Promise<QueuedAlert[]> {
    return [...this.#outbox.values()]
      .filter((entry) => entry.accountId === accountId)
      .sort((a, b) => a.key.localeCompare(b.key))
      .slice(0, limit)
      .map((entry) => entry.alert);
  }

  async leaseAlert(accountId: string, alert: QueuedAlert, now: number, leaseMs: number) {
    const entry = this.#outbox.get(outboxKey(accountId, alert));
    if (!entry || entry.leaseUntil >= now) return false;
    entry.leaseUntil = now + leaseMs;
    return true;
  }

  async releaseAlert(accountId: string, alert: QueuedAlert, countAttempt = true) {
    const entry = this.#outbox.get(outboxKey(accountId, alert));
    if (!entry) return;
    entry.leaseUntil = -1;
    if (countAttempt) entry.alert = { ...entry.alert, attempts: (entry.alert.attempts ?? 0) + 1 };
  }

  async alertSent(accountId: string, alert: QueuedAlert) {
    this.#outbox.delete(outboxKey(accountId, alert));
  }

  async setAsideAlert(accountId: string, alert: QueuedAlert, reason: string, now: number) {
    const key = outboxKey(accountId, alert);
    const entry = this.#outbox.get(key);
    if (!entry) return;
    this.#outbox.delete(key);
    this.#dead.set(key, {
      accountId,
      letter: { ...entry.alert, reason, setAsideAt: new Date(now).toISOString() },
    });
  }

  async deadLetters(accountId: string, limit: number): Promise<DeadLetter[]> {
    return [...this.#dead.entries()]
      .filter(([, d]) => d.accountId === accountId)
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(0, limit)
      .map(([, d]) => d.letter);
  }

  #queue(accountId: string, alert: Alert, queuedAt: string) {
    const queued = { ...alert, queuedAt };
    const key = outboxKey(accountId, queued);
    this.#outbox.set(key, { accountId, key, alert: queued, leaseUntil: -1 });
  }

  async commitCycle(commit: CycleCommit): Promise<void> {
    const { cycle, trades } = commit;
    const cycleKey = `${cycle.accountId}#${cycle.symbol}#${cycle.timeframe}#${cycle.candleTime}`;
    const existing = this.#cycles.get(cycleKey);
    if (existing) throw new DuplicateCycleError(existing);
    const pairKey = `${cycle.accountId}#${cycle.symbol}#${cycle.timeframe}`;
    const lastCandle = this.#lastCandles.get(pairKey);
    if (lastCandle !== undefined && lastCandle >= cycle.candleTime)
      throw new StaleCycleError(cycle, lastCandle);
    const account = this.#accounts.get(cycle.accountId);
    let balances = account?.balances;
    if (trades.length > 0 || commit.risk) {
      if (!account || account.version !== commit.expectedVersion) {
        throw new VersionConflictError(
          `account ${cycle.accountId} moved from version ${commit.expectedVersion}`,
        );
      }
      const next: Record<string, Decimal> = { ...account.balances };
      for (const [asset, delta] of Object.entries(sumMovements(trades)))
        next[asset] = (next[asset] ?? ZERO).plus(delta);
      if (Object.values(next).some((v) => v.lt(ZERO))) {
        throw new InsufficientBalanceError(
          `committing ${cycle.symbol} ${cycle.timeframe} would make a balance negative`,
        );
      }
      balances = next;
    }
    const positionKey = (symbol: string, timeframe: string) => `${cycle.accountId}#${symbol}#${timeframe}`;
    const change = commit.position;
    if (change) {
      const key =
        change.kind === "put"
          ? positionKey(change.position.symbol, change.position.timeframe)
          : positionKey(change.symbol, change.timeframe);
      if (this.#positions.get(key)?.version !== change.previousVersion) {
        throw new VersionConflictError(`the ${cycle.symbol} ${cycle.timeframe} position changed meanwhile`);
      }
      if (change.kind === "put")
        this.#positions.set(key, { ...change.position, version: (change.previousVersion ?? 0) + 1 });
      else this.#positions.delete(key);
    }
    if (account && balances && (trades.length > 0 || commit.risk)) {
      const risk = commit.risk ?? account.risk;
      this.#accounts.set(cycle.accountId, {
        ...account,
        balances,
        version: account.version + 1,
        ...(risk ? { risk } : {}),
      });
    }
    this.#cycles.set(cycleKey, cycle);
    this.#lastCandles.set(pairKey, cycle.candleTime);
    for (const trade of trades) this.#trades.push({ ...trade, accountId: cycle.accountId });
    for (const alert of commit.alerts ?? []) this.#queue(cycle.accountId, alert, cycle.recordedAt);
  }

  async noteRefusal(
    accountId: string,
    symbol: string,
    timeframe: Timeframe,
    candleTime: number,
    reason: string,
  ) {
    const note: CycleNote = { kind: "refused", symbol, timeframe, candleTime, reason };
    this.#notes.set(`R#${accountId}#${symbol}#${timeframe}#${candleTime}`, { accountId, note });
  }

  async cycleNotes(accountId: string): Promise<CycleNote[]> {
    return [...this.#notes.values()].filter((n) => n.accountId === accountId).map((n) => n.note);
  }

  async listTrades(
    accountId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<StoredTrade>> {
    const all = this.#trades.filter((t) => t.accountId === accountId).reverse();
    return page(all, options);
  }

  async cycleHistory(
    accountId: string,
    symbol: string,
    timeframe: Timeframe,
    options: { limit?: number; cursor?: string } = {},
  ) {
    const all = [...this.#cycles.values()]
      .filter((c) => c.accountId === accountId && c.symbol === symbol && c.timeframe === timeframe)
      .sort((a, b) => b.candleTime - a.candleTime);
    return page(all, options);
  }
}

const outboxKey = (accountId: string, alert: QueuedAlert) => `${accountId}#${alert.queuedAt}#${alert.id}`;

function page<T>(all: T[], { limit, cursor }: { limit?: number; cursor?: string }): Page<T> {
  const start = cursor ? Number(cursor) : 0;
  const end = limit === undefined ? all.length : start + limit;
  const items = all.slice(start, end);
  return end < all.length ? { items, cursor: String(end) } : { items };
}
