import { parseCycleRequest, type TradingCycle } from "../../shared/application/cycle/index.ts";
import type { CycleResult } from "../../shared/application/ports/cycle-outcome.ts";

/** What a primary adapter does with an event: parse it, then run the cycle or refuse it as invalid. */
export function runEvent(
  cycle: TradingCycle,
  event: unknown,
  defaultAccountId = "paper",
): Promise<CycleResult> {
  try {
    return cycle.run(parseCycleRequest(event, defaultAccountId));
  } catch (error) {
    return Promise.resolve(cycle.refuseInvalid(event, error));
  }
}
