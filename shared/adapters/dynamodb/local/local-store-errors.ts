import { TradingBotError } from "../../../domain/errors.ts";

/** Another process holds the persisted store (LevelDB's own lock): it is running already. */
export class StoreInUseError extends TradingBotError {
  override readonly name: string = "StoreInUseError";
  readonly retryable = false;
}

/** A file of the persisted store cannot be read: the message names it and what to do. */
export class CorruptStoreError extends TradingBotError {
  override readonly name: string = "CorruptStoreError";
  readonly retryable = false;
}
