import { existsSync } from "node:fs";
import { join } from "node:path";
import { scheduledEvent, type WatchedPair } from "../shared/adapters/config/watchlist.ts";
import { utcTime } from "../shared/application/format.ts";
import { nextClose } from "../shared/domain/market/candle-schedule.ts";
import { rebalanceFiresAt } from "../shared/domain/rebalance/rebalance-cron.ts";
import { parseFlags } from "./args.ts";
import { runCli } from "./cli-errors.ts";
import { formatResult } from "./format-result.ts";
import { localChannelSenders } from "./local/channel-alerts.ts";
import { readLocalConfig } from "./local/local-config.ts";
import { createLocalCycle } from "./local/local-cycle.ts";
import { LOCAL_FLAGS, LOCAL_FLAGS_USAGE, localPaths } from "./local/local-flags.ts";
import { openLocalStore } from "./local/local-store.ts";
import { missedClose } from "./local/missed-close.ts";
import { pollTelegramCommands } from "./local/telegram-poll.ts";
import { clockFromEnv } from "./local/virtual-clock.ts";

const USAGE = `Usage: npm start [-- --once] [--dry-run] [--memory] [--pretty | --json] [--config <file>] [--data-dir <dir>]

Runs the paper trader on this machine: one cycle per (symbol, timeframe) of the watchlist at every
candle close (UTC), as the deployed schedule does, on an embedded DynamoDB-compatible store.
  --once            one cycle for every pair now, then exit (non-zero if any failed)
  --dry-run         decide without writing or alerting
  --pretty          log lines for people (the default on a terminal)
  --json            the JSON log and metric lines Lambda writes (the default when stdout is not a terminal)
${LOCAL_FLAGS_USAGE}
Ctrl-C finishes the cycle in flight, closes the store and exits.`;

const out = (text: string) => process.stdout.write(text);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

await runCli(async () => {
  const flags = parseFlags(USAGE, {
    ...LOCAL_FLAGS,
    once: { type: "boolean" },
    json: { type: "boolean" },
    pretty: { type: "boolean" },
    "dry-run": { type: "boolean" },
  });
  if (!flags) return 0;
  const { configFile, dataDir } = localPaths(flags);
  const config = readLocalConfig(configFile, process.env);
  // Alert channels checked before anything opens: a missing secret is named now, not at the first trade.
  localChannelSenders(config.settings.alerts.channels, process.env);
  clockFromEnv(process.env); // TRADER_CLOCK_* checked before anything opens too
  // A dry run writes nothing: without a store yet, it looks at a fresh account in memory instead of creating one.
  const memory =
    flags.memory === true || (flags["dry-run"] === true && !existsSync(join(dataDir, "dynamodb")));
  const store = await openLocalStore({ memory, dataDir, share: true });
  // Started once the store is open: a TRADER_CLOCK_START is when the runner starts watching,
  // however long the store took to open (at a test's 1,800× a second is half an hour).
  const clock = clockFromEnv(process.env);
  const local = createLocalCycle({
    store,
    config,
    clock,
    // Lines for people on a terminal; the JSON log and metric lines Lambda writes otherwise, or with --json.
    pretty: flags.json ? false : flags.pretty === true || process.stdout.isTTY === true,
    env: process.env,
    write: out,
  });
  const pairs = config.settings.pairs;
  const dryRun = flags["dry-run"] === true;
  const event = (pair: WatchedPair, scheduledTime?: number) => ({
    ...scheduledEvent(pair),
    ...(scheduledTime === undefined ? {} : { scheduledTime: new Date(scheduledTime).toISOString() }),
    ...(dryRun ? { dryRun: true } : {}),
  });
  // Several accounts or strategies: each result names whose it is.
  const many = new Set(pairs.map((p) => `${p.accountId} ${p.strategy.name}`)).size > 1;
  const whose = (pair: WatchedPair) =>
    many ? `[${pair.mode === "signals" ? "alerts" : pair.accountId}, ${pair.strategy.name}] ` : "";
  // Binance unreachable is said once per close, not once per pair.
  let saidUnreachable = false;
  const report = (pair: WatchedPair, result: Awaited<ReturnType<typeof local.run>>) => {
    out(`${whose(pair)}${formatResult(result)}`);
    if (result.status === "failed" && result.error?.type.startsWith("Binance") && !saidUnreachable) {
      saidUnreachable = true;
      out(
        `  Binance is unreachable at ${local.market.baseUrl} (BINANCE_BASE_URL); nothing was written. ${flags.once ? "" : "Trying again at the next close."}\n`,
      );
    }
  };

  out(`Paper trader on this machine${dryRun ? " (dry run: nothing is written)" : ""}\n`);
  const accounts = [...new Set(pairs.filter((p) => p.mode === "trade").map((p) => p.accountId))];
  out(
    `  ${accounts.length > 1 ? "accounts" : "account"} ${accounts.join(", ") || config.cycle.defaultAccountId}, data in ${store.location}\n`,
  );
  out(`  market data from ${local.market.baseUrl} (BINANCE_BASE_URL)\n`);
  // Each (symbol, timeframe) once, with who trades it.
  const byPair = new Map<string, WatchedPair[]>();
  for (const pair of pairs)
    byPair.set(`${pair.symbol} ${pair.timeframe}`, [
      ...(byPair.get(`${pair.symbol} ${pair.timeframe}`) ?? []),
      pair,
    ]);
  for (const [name, group] of byPair) {
    const who = many ? `  (${group.map((p) => whose(p).slice(1, -2)).join("; ")})` : "";
    out(
      `  ${name}  next close ${utcTime(nextClose(clock.now(), (group[0] as WatchedPair).timeframe))}${who}\n`,
    );
  }

  if (flags.once) {
    let failed = 0;
    for (const pair of pairs) {
      const result = await local.run(event(pair));
      report(pair, result);
      if (result.status === "failed") failed++;
    }
    await store.close();
    return failed > 0 ? 1 : 0;
  }

  // Before waiting for the first close: Binance and every symbol checked, each pair's signal on the
  // candle that closed last (a dry run; run live when a resumed runner missed that close), and the
  // open positions, so nothing is silent for an hour. Closes are counted from here: however long
  // the checks below take, no close is skipped.
  let after = clock.now();
  out(
    "\nChecking Binance and the watchlist (the latest closed candle of each pair; nothing written unless this runner missed that close while stopped):\n",
  );
  const missed: { pair: WatchedPair; close: number }[] = [];
  for (const pair of pairs) {
    const close = dryRun ? undefined : await missedClose(local.repository, pair, after);
    if (close !== undefined) {
      missed.push({ pair, close });
      continue;
    }
    const result = await local.run({ ...scheduledEvent(pair), dryRun: true });
    if (result.status === "failed" && result.error?.type === "InvalidSymbolError") {
      out(`  ${pair.symbol}: ${result.error.message}. Fix the watchlist (${configFile}).\n`);
      await store.close();
      return 2;
    }
    const what =
      result.status === "failed"
        ? `FAILED: ${result.error?.type}: ${result.error?.message}`
        : `${result.signal?.action ?? "?"} (${result.signal?.reason ?? ""})`;
    out(`  ${whose(pair)}${pair.symbol} ${pair.timeframe} ${pair.strategy.name}: ${what}\n`);
  }
  for (const { pair, close } of missed) {
    out(
      `  ${pair.symbol} ${pair.timeframe}: the close of ${utcTime(close)} was missed while stopped; run now:\n`,
    );
    report(pair, await local.run(event(pair, close)));
  }
  for (const account of [...new Set(pairs.filter((p) => p.mode === "trade").map((p) => p.accountId))]) {
    const state = await local.repository.loadState(account);
    const open = state?.positions ?? [];
    out(
      `  account ${account}: ${state ? `${open.length} open position(s)${open.map((p) => `; ${p.symbol} ${p.timeframe} ${p.quantity.toFixed()} from ${p.entryPrice.toFixed()}`).join("")}` : "not opened yet"}\n`,
    );
  }
  const first = Math.min(...pairs.map((p) => nextClose(clock.now(), p.timeframe)));
  out(
    `Next cycle at ${utcTime(first)}, in ${Math.max(0, Math.round((first - clock.now()) / 60_000))} min. Ctrl-C stops.\n`,
  );

  const stop = new AbortController();
  const onSignal = () => {
    if (!stop.signal.aborted) out("\nStopping: finishing the cycle in flight, then closing the store.\n");
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // A Telegram channel with commands: its chat is answered from this machine while it runs (long poll).
  const polls = config.settings.alerts.channels
    .filter((c) => c.type === "telegram" && c.commands && !dryRun)
    .map((channel) => {
      out(`  answering Telegram commands of channel "${channel.name}" (long poll; /help lists them)\n`);
      return pollTelegramCommands({
        channel,
        env: process.env,
        store,
        config: config.cycle,
        cycleRetentionDays: config.settings.cycleRetentionDays,
        market: local.market,
        logger: local.logger,
        now: clock.now,
        stop: stop.signal,
        deliver: (id) => local.deliver(id),
      });
    });
  // The daily digest at its UTC hour, as the deployed rule sends it (off unless configured).
  const digestHour = config.settings.alerts.digestHourUtc;
  const nextDigest = (t: number) =>
    digestHour === null
      ? Number.POSITIVE_INFINITY
      : Math.floor((t - digestHour * HOUR) / DAY + 1) * DAY + digestHour * HOUR;
  while (!stop.signal.aborted) {
    const digestAt = nextDigest(after);
    const baskets = config.settings.rebalancing;
    const next = Math.min(
      digestAt,
      ...pairs.map((p) => nextClose(after, p.timeframe)),
      ...baskets.map((b) => nextClose(after, b.timeframe)),
    );
    after = next;
    await clock.sleepUntil(next, stop.signal);
    if (stop.signal.aborted) break;
    if (next === digestAt && !dryRun) {
      for (const d of await local.digest(digestAt))
        out(`Daily digest of ${d.accountId}: ${d.queued ? "sent" : "sent before"}\n`);
    }
    // The same events the deployed rules send, one pair after the other.
    saidUnreachable = false;
    for (const pair of pairs.filter((p) => nextClose(next - 1, p.timeframe) === next)) {
      if (stop.signal.aborted) break;
      report(pair, await local.run(event(pair, next)));
    }
    // Each rebalancing account when its rule fires: its scheduled times (or the fewest holding them).
    for (const basket of baskets.filter((b) => rebalanceFiresAt(b, next))) {
      if (stop.signal.aborted) break;
      out(formatResult(await local.rebalance(basket.accountId, next, dryRun)));
    }
  }
  await Promise.all(polls);
  await store.close();
  out("Stopped.\n");
  return 0;
});
