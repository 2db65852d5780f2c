import { describe, expect, it } from "vitest";
import { readLocalConfig } from "../../cli/local/local-config.ts";
import { LOCAL_TABLE, openLocalStore } from "../../cli/local/local-store.ts";
import { BinanceMarketData } from "../../shared/adapters/binance/binance-market-data.ts";
import { createDocumentClient } from "../../shared/adapters/dynamodb/document-client.ts";
import { DynamoDbAccountControl } from "../../shared/adapters/dynamodb/dynamodb-account-control.ts";
import { dynamoDbAccount } from "../../shared/adapters/dynamodb/dynamodb-alert-outbox.ts";
import { parseCommand } from "../../shared/application/commands/parse-command.ts";
import { runCommand } from "../../shared/application/commands/run-command.ts";
import { closeOf } from "../helpers/hourly-market.ts";
import {
  binance,
  newSession,
  report,
  run,
  type Session,
  useReportMarket,
} from "../helpers/report-session.ts";

useReportMarket();

/** A chat command on the session's store, as the runner's long poll runs it, at candle i's close. */
async function command(session: Session, text: string, i: number): Promise<string> {
  const store = await openLocalStore({ memory: false, dataDir: session.dir });
  try {
    const table = { client: createDocumentClient(store.clientConfig), tableName: LOCAL_TABLE };
    const { repository, outbox } = dynamoDbAccount(table);
    const config = readLocalConfig(session.config, { BINANCE_BASE_URL: binance().url });
    const now = closeOf(i) + 60_000;
    binance().now = () => now;
    const parsed = parseCommand(text);
    if (!parsed) throw new Error(`not a command: ${text}`);
    const outcome = await runCommand(
      {
        store: repository,
        history: repository,
        deadLetters: async (id) => (await outbox.deadLetters(id, 10)).length,
        control: new DynamoDbAccountControl(table),
        market: new BinanceMarketData({ ...config.binance, now: () => now }),
        config: config.cycle,
        now: () => now,
      },
      { chatId: "42", accountId: "paper", where: "Telegram chat 42" },
      parsed,
    );
    return outcome.reply;
  } finally {
    binance().now = Date.now;
    await store.close();
  }
}

describe("npm run report explains a person's commands: a forced exit and a pause", () => {
  it("names the forced exit and the paused entries as causes; nothing is unexplained", async () => {
    const session = newSession({ stopLossPct: 2 });
    await run(session, 300, 331); // the position opened at 331
    expect(await command(session, "/forceexit BNBUSDT", 332)).toMatch(
      /^Forced exit of BNBUSDT 1h: sold .+ BNB at .+ USDT/,
    );
    await run(session, 333, 380);
    expect(await command(session, "/pause", 380)).toMatch(/^Paused: no new entries on account paper/);
    await run(session, 381, 440);
    const { json, status, stdout } = await report(session, "--json");
    expect(status, stdout).toBe(0);
    expect(json.unexplained).toBe(0);
    const kinds = json.fidelity.findings.map((f: { kind: string }) => f.kind);
    expect(kinds).toContain("forced-exit");
    expect(kinds).toContain("paused");
    const forced = json.fidelity.findings.find((f: { kind: string }) => f.kind === "forced-exit");
    expect(forced.cause).toMatch(
      /^forced exit by a person \(\/forceexit\) at the close of .+ UTC: the position sold there, not by a cycle$/,
    );
    const paused = json.fidelity.findings.find((f: { kind: string }) => f.kind === "paused");
    expect(paused.cause).toMatch(
      /^paused by \/pause in Telegram chat 42 at .+ UTC \(the whole account\): the BUY of this close not taken$/,
    );
    expect(json.divergences.every((d: { explained: boolean }) => d.explained)).toBe(true);
  }, 120_000);
});
