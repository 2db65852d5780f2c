import { dec } from "../../domain/money/decimal.ts";
import type { MarketSteps } from "../../domain/trading/fills.ts";
import type { Precision } from "../alerts/alert-messages.ts";
import type { MarketData, SymbolFilters } from "../ports/market-data.ts";
import { marketSteps, precisionOf } from "./market-steps.ts";
import { checkQuoteAsset } from "./quote-asset.ts";

/** Steps for a cycle that sizes nothing (no position, no BUY): never used to size a fill. */
const UNSIZED: Omit<MarketSteps, "quoteAsset"> = {
  baseAsset: "",
  tickSize: dec("0.00000001"),
  stepSize: dec("0.00000001"),
  minQty: dec("0"),
  minNotional: dec("0"),
};
const FINEST: Precision = { price: 8, quantity: 8 };

/**
 * A cycle's exchange filters, read only when they matter (Binance counts 20 weight for them, 2 for
 * the candles): an entry to size, a position to manage, or a symbol that may be quoted in another
 * asset than the account's. Most cycles (no position, no BUY) cost one candles call.
 */
export class CycleFilters {
  readonly #market: MarketData;
  readonly #symbol: string;
  readonly #quoteAsset: string;
  #filters: SymbolFilters | undefined;

  constructor(market: MarketData, symbol: string, quoteAsset: string) {
    this.#market = market;
    this.#symbol = symbol;
    this.#quoteAsset = quoteAsset;
  }

  /** Before the account is read: for a BUY, or a symbol not ending in the configured quote asset. */
  async forSignal(action: string): Promise<void> {
    if (action === "BUY" || !this.#symbol.endsWith(this.#quoteAsset)) await this.#read();
    // Kept filters that would refuse the entry (the symbol halted) are read again before they do.
    if (action === "BUY" && this.#filters && this.#filters.status !== "TRADING")
      this.#filters = await this.#market.symbolFilters(this.#symbol, { fresh: true });
  }

  /** With the account: read for an open position; the symbol's quote asset checked against the account's. */
  async forAccount(hasPosition: boolean, accountQuoteAsset: string): Promise<void> {
    if (hasPosition) await this.#read();
    if (this.#filters) checkQuoteAsset(this.#symbol, this.#filters.quoteAsset, accountQuoteAsset);
  }

  async #read(): Promise<void> {
    this.#filters ??= await this.#market.symbolFilters(this.#symbol);
    checkQuoteAsset(this.#symbol, this.#filters.quoteAsset, this.#quoteAsset);
  }

  /** The filters the cycle read (kept or fetched), if it needed any: recorded with the cycle. */
  get used(): SymbolFilters | undefined {
    return this.#filters;
  }

  /** Why no entry may open (Binance does not trade the symbol); its exits are still managed. */
  get entryBlocked(): string | undefined {
    const status = this.#filters?.status;
    return status === undefined || status === "TRADING"
      ? undefined
      : `Binance lists ${this.#symbol} as ${status}, not TRADING`;
  }

  steps(accountQuoteAsset: string): MarketSteps {
    return this.#filters ? marketSteps(this.#filters) : { ...UNSIZED, quoteAsset: accountQuoteAsset };
  }

  get precision(): Precision {
    return this.#filters ? precisionOf(this.#filters) : FINEST;
  }
}
