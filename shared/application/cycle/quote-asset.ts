import { TradingBotError } from "../../domain/errors.ts";

/** The symbol is quoted in another asset than the account's. */
export class ForeignQuoteAssetError extends TradingBotError {
  override readonly name: string = "ForeignQuoteAssetError";
  readonly retryable = false;
}

/** One quote asset per account: a symbol quoted in another is refused before anything is read. */
export function checkQuoteAsset(symbol: string, symbolQuote: string, accountQuote: string): void {
  if (symbolQuote === accountQuote) return;
  throw new ForeignQuoteAssetError(
    `${symbol} is quoted in ${symbolQuote}, but the account holds ${accountQuote}: one account trades symbols of one quote asset only`,
  );
}
