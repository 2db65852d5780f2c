import { BNBUSDT_FILTERS } from "../../cli/backtest/backtest-data.ts";
import { DEFAULT_CYCLE_CONFIG } from "../../shared/adapters/config/default-cycle-config.ts";
import { toCandleSeries } from "../../shared/domain/market/candle-series.ts";
import { fixtureCandles } from "./fixtures.ts";

/** The real BNBUSDT 4h candles as the optimizer's market: traded from the 300th, Binance's filters, the default rules. */
export function bnb4hMarket(candles = fixtureCandles("BNBUSDT-4h")) {
  return {
    symbol: "BNBUSDT",
    timeframe: "4h" as const,
    candles,
    series: toCandleSeries(candles),
    firstIndex: 299,
    end: candles.length,
    filters: BNBUSDT_FILTERS,
    config: { ...DEFAULT_CYCLE_CONFIG, defaultAccountId: "optimize" },
  };
}
