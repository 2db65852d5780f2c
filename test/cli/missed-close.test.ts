import { describe, expect, it } from "vitest";
import { missedClose } from "../../cli/local/missed-close.ts";
import { InMemoryAccountRepository } from "../../shared/adapters/memory/in-memory-account-repository.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { strategyNamed } from "../../shared/domain/strategies/registry.ts";
import { commit, cycle, T0 } from "../helpers/trades.ts";

const H4 = 4 * 3_600_000;
const pair = {
  symbol: "BNBUSDT",
  timeframe: "4h" as const,
  strategy: strategyNamed(),
  accountId: "paper",
  mode: "trade" as const,
};

describe("the close a resumed npm start missed", () => {
  it("is the latest close when the pair traded here before and that candle has no cycle", async () => {
    const repository = new InMemoryAccountRepository();
    const now = T0 + 3 * H4 + 60_000; // a minute after the close of the candle opened at T0 + 2 × 4h
    expect(await missedClose(repository, pair, now)).toBeUndefined(); // a first start only looks
    await repository.openAccount("paper", dec("10000"), new Date(T0), "USDT");
    await repository.commitCycle(commit({ cycle: cycle({ candleTime: T0 }) }));
    expect(await missedClose(repository, pair, now)).toBe(T0 + 3 * H4);
    await repository.commitCycle(commit({ cycle: cycle({ candleTime: T0 + 2 * H4 }) }));
    expect(await missedClose(repository, pair, now)).toBeUndefined(); // ran already: never twice
    expect(await missedClose(repository, { ...pair, mode: "signals" }, now + H4)).toBeUndefined();
  });
});
