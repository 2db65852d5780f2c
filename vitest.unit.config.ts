import { defineConfig } from "vitest/config";
import { PROPERTY_TESTS } from "./vitest.properties.config.ts";

/**
 * The unit tier (`npm run test:unit`): the domain, the use cases on in-memory ports, and the pure
 * adapters (strategies, parsers, message formats): no Java, no network, no child processes, and not
 * the differential and property tests (their own tier, `npm run test:properties`, PROPERTY_TESTS).
 * `npm test` runs all of these once, and everything else.
 */
export default defineConfig({
  test: {
    include: [
      "test/domain/**/*.test.ts",
      "test/application/**/*.test.ts",
      "test/adapters/config/**/*.test.ts",
      "test/adapters/binance/kline-parser.test.ts",
      "test/adapters/channels/channel-limits.test.ts",
      "test/adapters/optimize/batch-codec.test.ts",
      "test/adapters/optimize/search-layout.test.ts",
    ],
    exclude: PROPERTY_TESTS,
    // Pure code: the files share their workers' module cache (each file's imports are read once, not per file).
    pool: "threads",
    isolate: false,
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
