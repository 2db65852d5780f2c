import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { binanceOptionsFromEnv } from "../../shared/adapters/binance/binance-config.ts";
import type { BinanceMarketDataOptions } from "../../shared/adapters/binance/binance-market-data.ts";
import { cycleConfigOf, parseSettings, type Settings } from "../../shared/adapters/config/settings.ts";
import type { CycleConfig } from "../../shared/application/cycle/index.ts";
import { ConfigurationError } from "../../shared/domain/errors.ts";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEFAULT_CONFIG_FILE = `${PROJECT_ROOT}cdk.json`;

export interface LocalConfig {
  readonly settings: Settings;
  readonly cycle: CycleConfig;
  readonly binance: BinanceMarketDataOptions;
}

/** The same configuration the CDK app deploys (cdk.json's tradingBot), BINANCE_* from the environment winning. */
export function readLocalConfig(file: string, env: Record<string, string | undefined>): LocalConfig {
  let json: { context?: { tradingBot?: Record<string, unknown> } };
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigurationError(`cannot read the configuration ${file}: ${(error as Error).message}`);
  }
  const settings = parseSettings(json.context?.tradingBot ?? {});
  const binance = binanceOptionsFromEnv({
    ...env,
    BINANCE_BASE_URL: env.BINANCE_BASE_URL || settings.binanceBaseUrl,
  });
  return { settings, cycle: cycleConfigOf(settings), binance };
}
