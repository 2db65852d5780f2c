import type { SymbolFilters } from "../../application/ports/market-data.ts";
import { InvalidSymbolError, MalformedResponseError } from "./binance-errors.ts";

type Filter = Record<string, unknown> & { filterType?: unknown };

function field(filter: Filter | undefined, name: string, where: string): string {
  const value = filter?.[name];
  if (typeof value !== "string" || !/^\d+(\.\d+)?$/.test(value)) {
    throw new MalformedResponseError(`${where}: ${name} ${JSON.stringify(value)} is not a decimal string`);
  }
  return value;
}

/** Reads a symbol's status and trading filters from GET /api/v3/exchangeInfo?symbol=…. */
export function parseSymbolFilters(body: unknown, symbol: string): SymbolFilters {
  const where = `exchangeInfo for ${symbol}`;
  const symbols = (body as { symbols?: unknown })?.symbols;
  if (!Array.isArray(symbols)) throw new MalformedResponseError(`${where}: no "symbols" array`);
  const info = symbols.find((s: { symbol?: unknown }) => s?.symbol === symbol) as
    | Record<string, unknown>
    | undefined;
  if (!info) throw new InvalidSymbolError(symbol);
  const filters = Array.isArray(info.filters) ? (info.filters as Filter[]) : [];
  const byType = (type: string) => filters.find((f) => f?.filterType === type);
  const notional = byType("NOTIONAL") ?? byType("MIN_NOTIONAL");
  const lot = byType("LOT_SIZE");
  const text = (name: string) => {
    const value = info[name];
    if (typeof value !== "string") throw new MalformedResponseError(`${where}: ${name} is missing`);
    return value;
  };
  return {
    symbol,
    status: text("status"),
    baseAsset: text("baseAsset"),
    quoteAsset: text("quoteAsset"),
    tickSize: field(byType("PRICE_FILTER"), "tickSize", `${where}, PRICE_FILTER`),
    stepSize: field(lot, "stepSize", `${where}, LOT_SIZE`),
    minQty: field(lot, "minQty", `${where}, LOT_SIZE`),
    minNotional: field(notional, "minNotional", `${where}, NOTIONAL`),
  };
}
