/** An ESM bundle with CommonJS dependencies needs a `require` of its own (else "Dynamic require of node:… is not supported"). */
export const REQUIRE_BANNER =
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
