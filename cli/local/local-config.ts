import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { binanceOptionsFromEnv } from "../../shared/adapters/binance/binance-config.ts";
import type { BinanceMarketDataOptions } from "../../shared/adapters/binance/binance-market-data.ts";
import {
  type DeploymentConfig,
  parseDeploymentConfig,
} from "../../shared/adapters/config/deployment-config.ts";
import { cycleConfigFrom } from "../../shared/adapters/config/risk-settings.ts";
import { strategyNamed } from "../../shared/adapters/strategies/registry.ts";
import type { CycleConfig } from "../../shared/application/cycle-config.ts";
import { ConfigurationError } from "../../shared/domain/errors.ts";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEFAULT_CONFIG_FILE = `${PROJECT_ROOT}cdk.json`;

export interface LocalConfig {
  readonly deployment: DeploymentConfig;
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
  const deployment = parseDeploymentConfig(json.context?.tradingBot ?? {});
  const names = {
    accountId: "accountId",
    initialBalance: "initialBalance",
    feeRate: "feeRate",
    maxOpenPositions: "maxOpenPositions",
    stakeFractions: "stakeFractions",
  };
  const cycle = cycleConfigFrom(
    {
      accountId: deployment.accountId,
      initialBalance: deployment.initialBalance,
      feeRate: deployment.feeRate,
      maxOpenPositions: deployment.maxOpenPositions,
      stakeFractions: deployment.stakeFractions || undefined,
    },
    names,
  );
  const binance = binanceOptionsFromEnv({
    ...env,
    BINANCE_BASE_URL: env.BINANCE_BASE_URL || deployment.binanceBaseUrl,
  });
  const local: CycleConfig = {
    ...cycle,
    watchlist: deployment.pairs,
    resolveStrategy: (name, params) => strategyNamed(name, params, "the event's"),
  };
  return { deployment, cycle: local, binance };
}
