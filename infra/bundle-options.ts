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
