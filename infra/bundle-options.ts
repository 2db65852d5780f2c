import { type BundlingOptions, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";

/** An ESM bundle with CommonJS dependencies needs a `require` of its own (else "Dynamic require of node:… is not supported"). */
const REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** esbuild settings of the function's bundle, shared by the CDK app and the benchmark. */
export const BUNDLE_SETTINGS = {
  format: "esm",
  platform: "node",
  target: "node24",
  minify: true,
  mainFields: ["module", "main"],
  banner: REQUIRE_BANNER,
} as const;

/**
 * The function's bundle only: the SDK's credential provider chain replaced by the environment's
 * credentials, all a Lambda function ever has (see shared/adapters/aws/lambda-credentials.ts).
 */
export const FUNCTION_ALIASES = {
  "@aws-sdk/credential-provider-node": new URL(
    "../shared/adapters/aws/lambda-credentials.ts",
    import.meta.url,
  ).pathname,
} as const;

/** The identifier a large watchlist's settings replace in the bundle (functions/trading-cycle/dependencies.ts). */
export const BUNDLED_SETTINGS = "__TRADING_BOT_SETTINGS__";

/** The bundling of every function of the app: one minified ESM file, the SDK inside, source maps. */
export function functionBundling(define: Record<string, string> = {}): BundlingOptions {
  return {
    define,
    format: OutputFormat.ESM,
    minify: BUNDLE_SETTINGS.minify,
    sourceMap: true,
    target: BUNDLE_SETTINGS.target,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    bundleAwsSDK: true,
    banner: BUNDLE_SETTINGS.banner,
    esbuildArgs: {
      "--alias": Object.entries(FUNCTION_ALIASES).map(([from, to]) => `${from}=${to}`),
    },
  };
}
