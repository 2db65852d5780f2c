import type { Position, Trade } from "../account/account.ts";
import type { Candle } from "../market/candle.ts";
import type { Decimal } from "../money/decimal.ts";
import { dec } from "../money/decimal.ts";
import { exitFill, type MarketSteps } from "../trading/fills.ts";
import { slipped } from "../trading/slippage.ts";

/** A forced exit's fill sits after any cycle fill of its candle (those use 0, 1, 2…). */
const FORCED_EXIT_SEQUENCE = 90;

/**
 * A person's /forceexit: the whole position sold at the close of the last closed candle (with the
 * slippage and fee any exit pays), as the ledger records it.
 */
export function forcedExitFill(
  position: Position,
  candle: Candle,
  steps: MarketSteps,
  feeRate: Decimal,
  slippageBps: Decimal,
): Trade {
  const price = slipped(dec(candle.close), "SELL", slippageBps, steps.tickSize);
  return exitFill(
    position,
    position.quantity,
    price,
    "forced-exit",
    candle.openTime,
    FORCED_EXIT_SEQUENCE,
    steps.quoteAsset,
    feeRate,
  );
}
