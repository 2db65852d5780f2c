import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Deadline } from "../../application/cycle/index.ts";
import {
  type AccountRepository,
  type AccountState,
  type CycleCommit,
  type CycleNote,
  type CycleRecord,
  DuplicateCycleError,
  InsufficientBalanceError,
  type Page,
  RepositoryUnavailableError,
  StaleCycleError,
  type StoredTrade,
  VersionConflictError,
} from "../../application/ports/account-repository.ts";
import { type Account, newAccount } from "../../domain/account/account.ts";
import type { Timeframe } from "../../domain/market/timeframe.ts";
import type { Decimal } from "../../domain/money/decimal.ts";
import { SETTINGS } from "../config/settings.ts";
import { cycleTransaction } from "./cycle-transaction.ts";
import { callDynamoDb } from "./dynamodb-call.ts";
import {
  accountItem,
  decodeCursor,
  encodeCursor,
  readAccount,
  readCycle,
  readCycleNote,
  readPosition,
  readTrade,
  refusedItem,
} from "./item-codec.ts";
import { ItemReader } from "./item-reader.ts";
import { keys } from "./table-definition.ts";

export interface DynamoDbAccountRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** How long cycle records are kept before DynamoDB's TTL removes them, counted from when written. */
  readonly cycleRetentionDays?: number;
  /** Wall clock (epoch ms) for the failure-alert markers' expiry. */
  readonly now?: () => number;
  /** The invocation's deadline: every request is aborted when it passes. */
  readonly deadline?: Deadline;
}

/** What every request carries: the invocation's deadline as an abort signal. */
export type RequestOptions = { abortSignal?: AbortSignal | undefined };

type Item = Record<string, unknown>;

/** Seconds a record is kept (TTL) after it is written: the configured days, or tradingBot's default. */
export function retentionSeconds(options: { readonly cycleRetentionDays?: number | undefined }): number {
  return (options.cycleRetentionDays ?? SETTINGS.cycleRetentionDays.default) * 86_400;
}

/** The paper account in one DynamoDB table (see table-definition.ts for the item layout). */
export class DynamoDbAccountRepository implements AccountRepository {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;
  readonly #now: () => number;
  readonly #deadline: Deadline | undefined;

  constructor(options: DynamoDbAccountRepositoryOptions) {
    this.#db = options.client;
    this.#table = options.tableName;
    this.#retentionSeconds = retentionSeconds(options);
    this.#now = options.now ?? Date.now;
    this.#deadline = options.deadline;
  }

  /** Every request carries the invocation's deadline as an abort signal. */
  #options(): RequestOptions {
    return { abortSignal: this.#deadline?.signal() };
  }

  #expiresAt(writtenAt: number): number {
    return Math.floor(writtenAt / 1000) + this.#retentionSeconds;
  }

  async openAccount(
    accountId: string,
    initialBalance: Decimal,
    now: Date,
    quoteAsset: string,
  ): Promise<Account> {
    const account = newAccount(accountId, initialBalance, now, quoteAsset);
    try {
      await callDynamoDb(this.#table, "open the account", () =>
        this.#db.send(
          new PutCommand({
            TableName: this.#table,
            Item: accountItem(account),
            ConditionExpression: "attribute_not_exists(pk)",
          }),
          this.#options(),
        ),
      );
      return account;
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      const existing = await this.#get(keys.account(accountId));
      if (!existing) throw new RepositoryUnavailableError(`account ${accountId} vanished while being opened`);
      return readAccount(existing);
    }
  }

  async loadState(accountId: string): Promise<AccountState | undefined> {
    // The account first, then its positions: a trade committed in between bumps the account's
    // version, so a decision made on this pair of reads cannot commit (reading both at once could
    // pair the new balances with the old positions and commit a wrongly sized entry).
    const item = await this.#get(keys.account(accountId));
    if (!item) return undefined;
    const positions = await this.#queryAll({ prefix: "POSITION#", accountId });
    return { account: readAccount(item), positions: positions.map(readPosition) };
  }

  async findCycle(accountId: string, symbol: string, timeframe: Timeframe, candleTime: number) {
    const item = await this.#get(keys.cycle(accountId, symbol, timeframe, candleTime));
    return item ? readCycle(item) : undefined;
  }

  async commitCycle(commit: CycleCommit): Promise<void> {
    const { cycle } = commit;
    const accountKey = keys.account(cycle.accountId);
    const expiresAt = this.#expiresAt(Date.parse(cycle.recordedAt));
    const { items, accountIndex, positionIndex, pairIndex } = cycleTransaction(
      this.#table,
      commit,
      expiresAt,
    );
    try {
      await callDynamoDb(this.#table, "commit the cycle", () =>
        this.#db.send(new TransactWriteCommand({ TransactItems: items }), this.#options()),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons.some((r) => r.Code === "TransactionConflict")) {
        throw new VersionConflictError(
          `another transaction was writing an item of account ${cycle.accountId} (TransactionConflict)`,
          { cause: error },
        );
      }
      const failed = (index: number) => reasons[index]?.Code === "ConditionalCheckFailed";
      if (failed(0)) {
        const existing = await this.findCycle(
          cycle.accountId,
          cycle.symbol,
          cycle.timeframe,
          cycle.candleTime,
        );
        if (existing) throw new DuplicateCycleError(existing);
      }
      if (failed(pairIndex)) {
        const pair = await this.#get(keys.pair(cycle.accountId, cycle.symbol, cycle.timeframe));
        throw new StaleCycleError(
          cycle,
          pair ? new ItemReader(pair).integer("lastCandle") : cycle.candleTime,
        );
      }
      if (failed(accountIndex)) {
        const current = await this.#get(accountKey);
        const version = current ? new ItemReader(current).integer("version") : undefined;
        if (version === commit.expectedVersion) {
          throw new InsufficientBalanceError(
            `committing ${cycle.symbol} ${cycle.timeframe} would make a balance of account ${cycle.accountId} negative`,
          );
        }
        throw new VersionConflictError(
          `account ${cycle.accountId} moved from version ${commit.expectedVersion} to ${version}`,
        );
      }
      if (failed(positionIndex)) {
        throw new VersionConflictError(`the ${cycle.symbol} ${cycle.timeframe} position changed meanwhile`);
      }
      const codes = reasons.map((r) => r.Code ?? "None").join(", ");
      throw new VersionConflictError(`the transaction was cancelled (${codes})`, { cause: error });
    }
  }

  async noteRefusal(
    accountId: string,
    symbol: string,
    timeframe: Timeframe,
    candleTime: number,
    reason: string,
  ): Promise<void> {
    const item = refusedItem(accountId, symbol, timeframe, candleTime, reason, this.#expiresAt(this.#now()));
    await callDynamoDb(this.#table, "note the refused cycle", () =>
      this.#db.send(new PutCommand({ TableName: this.#table, Item: item }), this.#options()),
    );
  }

  async cycleNotes(accountId: string): Promise<CycleNote[]> {
    const read = async (kind: CycleNote["kind"], prefix: string) =>
      (await this.#queryAll({ accountId, prefix })).map((item) => readCycleNote(kind, item));
    return [...(await read("failed", "ALERT#FAILURE#")), ...(await read("refused", "REFUSED#"))];
  }

  async listTrades(
    accountId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<StoredTrade>> {
    return this.#page({ accountId, prefix: "TRADE#", ...options }, readTrade);
  }

  async cycleHistory(
    accountId: string,
    symbol: string,
    timeframe: Timeframe,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<CycleRecord>> {
    return this.#page({ accountId, prefix: `CYCLE#${symbol}#${timeframe}#`, ...options }, readCycle);
  }

  async #get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const result = await callDynamoDb(this.#table, `read ${key.pk} ${key.sk}`, () =>
      this.#db.send(
        new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true }),
        this.#options(),
      ),
    );
    return result.Item;
  }

  #query(accountId: string, prefix: string, limit?: number, cursor?: string): QueryCommandInput {
    return {
      TableName: this.#table,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": keys.account(accountId).pk, ":prefix": prefix },
      ConsistentRead: true,
      ScanIndexForward: false,
      ...(limit === undefined ? {} : { Limit: limit }),
      ...(cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(cursor) }),
    };
  }

  async #queryAll({ accountId, prefix }: { accountId: string; prefix: string }): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#page({ accountId, prefix, ...(cursor ? { cursor } : {}) }, (item) => item);
      items.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return items;
  }

  async #page<T>(
    {
      accountId,
      prefix,
      limit,
      cursor,
    }: { accountId: string; prefix: string; limit?: number; cursor?: string },
    read: (item: Item) => T,
  ): Promise<Page<T>> {
    const result = await callDynamoDb(this.#table, `query ${prefix} of account ${accountId}`, () =>
      this.#db.send(new QueryCommand(this.#query(accountId, prefix, limit, cursor)), this.#options()),
    );
    const items = (result.Items ?? []).map(read);
    return result.LastEvaluatedKey ? { items, cursor: encodeCursor(result.LastEvaluatedKey) } : { items };
  }
}
