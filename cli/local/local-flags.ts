import { join } from "node:path";
import { DEFAULT_CONFIG_FILE, PROJECT_ROOT } from "./local-config.ts";

/** Flags every local command shares. */
export const LOCAL_FLAGS = {
  memory: { type: "boolean" },
  config: { type: "string" },
  "data-dir": { type: "string" },
} as const;

export const LOCAL_FLAGS_USAGE = `  --memory          a throwaway store in memory instead of ./.data/
  --data-dir <dir>  where the persisted store lives (default ./.data)
  --config <file>   the configuration (default cdk.json, the one the CDK app deploys)`;

export function localPaths(flags: { config?: string | undefined; "data-dir"?: string | undefined }) {
  return {
    configFile: flags.config ?? DEFAULT_CONFIG_FILE,
    dataDir: flags["data-dir"] ?? join(PROJECT_ROOT, ".data"),
  };
}
