import { fileURLToPath } from "node:url";
import { evaluateWindow } from "../shared/domain/strategy/fibonacci-golden-zone.ts";
import { DEFAULT_WINDOW } from "../shared/domain/strategy/strategy-params.ts";
import { runCli } from "./cli-errors.ts";
import { readCandlesFile } from "./read-candles-file.ts";

// Until the local runner exists: one dry-run evaluation of the bundled sample candles.
const SAMPLE = fileURLToPath(new URL("../test/fixtures/BNBUSDT-4h.csv", import.meta.url));

await runCli(async () => {
  const series = await readCandlesFile(SAMPLE);
  const last = series.length - 1;
  const signal = evaluateWindow(series, last, DEFAULT_WINDOW);
  const candle = new Date(series.openTime[last] as number).toISOString();
  process.stdout.write(`Dry run on the bundled sample (BNBUSDT 4h, window ending ${candle}):\n`);
  process.stdout.write(`${JSON.stringify(signal, null, 2)}\n`);
  return 0;
});
