import { DEFAULT_STRATEGY, findStrategy, strategyNamed } from "../shared/domain/strategies/registry.ts";
import type { ConfiguredStrategy } from "../shared/domain/strategies/strategy.ts";
import { UsageError } from "./cli-errors.ts";

/** The flags that pick strategies, for parseFlags. */
export const STRATEGY_FLAGS = {
  strategy: { type: "string" },
  param: { type: "string", multiple: true },
} as const;

export const STRATEGY_USAGE = `  --strategy <name>   the strategy (default ${DEFAULT_STRATEGY}; npm run strategies lists them)
  --param key=value   one of its parameters, repeatable`;

/**
 * The strategies a command runs: --strategy (one) or `compare` (several, comma-separated), each
 * with the --param values meant for it. Unknown names, parameters or values exit 2, naming them.
 */
export function strategiesFromFlags(flags: {
  strategy?: string | undefined;
  param?: string[] | undefined;
  compare?: string | undefined;
}): ConfiguredStrategy[] {
  if (flags.strategy && flags.compare) throw new UsageError("give --strategy or --compare, not both");
  const names = flags.compare
    ? flags.compare.split(",").map((n) => n.trim())
    : [flags.strategy ?? DEFAULT_STRATEGY];
  if (new Set(names).size !== names.length || names.some((n) => n === ""))
    throw new UsageError(`--compare must list different strategies, comma-separated, got "${flags.compare}"`);
  const params = new Map<string, Record<string, string>>(names.map((n) => [n, {}]));
  for (const text of flags.param ?? []) {
    const match = /^(?:([a-z0-9-]+)\.)?([A-Za-z0-9]+)=(.+)$/.exec(text);
    if (!match)
      throw new UsageError(
        `--param must read key=value${flags.compare ? " or strategy.key=value" : ""}, got "${text}"`,
      );
    const [, prefix, key, value] = match as unknown as [string, string | undefined, string, string];
    const target = prefix ?? (names.length === 1 ? names[0] : undefined);
    if (!target)
      throw new UsageError(`with --compare, say whose parameter it is: --param <strategy>.${key}=${value}`);
    const bucket = params.get(target);
    if (!bucket)
      throw new UsageError(
        `--param ${text}: ${target} is not among the strategies run (${names.join(", ")})`,
      );
    bucket[key] = value;
  }
  return names.map((name) => {
    try {
      findStrategy(name, "--strategy");
      return strategyNamed(name, params.get(name) ?? {}, "--strategy");
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  });
}
