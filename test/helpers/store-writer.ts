/**
 * A child process for the crash test: opens the persisted local store the way `npm start` does
 * and commits cycles (ten trades each) as fast as it can, printing "committed <n>" after each,
 * until it is killed. Usage: node test/helpers/store-writer.ts <data dir>
 */
import { LOCAL_TABLE, openLocalStore } from "../../cli/local/local-store.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountRepository } from "../../shared/adapters/dynamodb/dynamodb-account-repository.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { commit, cycle, T0, trade } from "./trades.ts";

const HOUR = 3_600_000;
const TRADES_PER_CYCLE = 10;
const store = await openLocalStore({ memory: false, dataDir: process.argv[2] ?? ".data" });
const repository = new DynamoDbAccountRepository({
  client: createDocumentClient(store.clientConfig),
  tableName: LOCAL_TABLE,
});
await repository.openAccount("paper", dec("10000"), new Date(T0), "USDT");
const latest = await repository.cycleHistory("paper", "BNBUSDT", "4h", { limit: 1 });
let next = latest.items[0] ? (latest.items[0].candleTime - T0) / (4 * HOUR) + 1 : 0;
for (;;) {
  const state = await repository.loadState("paper");
  const candleTime = T0 + next * 4 * HOUR;
  await repository.commitCycle(
    commit({
      cycle: cycle({ candleTime }),
      expectedVersion: state?.account.version ?? 0,
      // Many items per transaction, so that a kill lands inside one more often than between two.
      trades: Array.from({ length: TRADES_PER_CYCLE }, (_, sequence) =>
        trade({ side: sequence % 2 ? "SELL" : "BUY", quantity: "1", price: "600", candleTime, sequence }),
      ),
    }),
  );
  process.stdout.write(`committed ${++next}\n`);
}
