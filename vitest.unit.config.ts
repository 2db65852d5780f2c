import { defineConfig } from "vitest/config";

/**
 * The unit tier (`npm run test:unit`): the domain, the use cases on in-memory ports, and the pure
 * adapters (strategies, parsers, message formats): no Java, no network, no child processes. `npm test`
 * runs these and everything else.
 */
export default defineConfig({
  test: {
    include: [
      "test/domain/**/*.test.ts",
      "test/application/**/*.test.ts",
      "test/adapters/config/**/*.test.ts",
      "test/adapters/binance/kline-parser.test.ts",
      "test/adapters/channels/channel-limits.test.ts",
    ],
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
