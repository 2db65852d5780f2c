import { defineConfig } from "vitest/config";

/**
 * The differential and property tests (`npm run test:properties`): hundreds of generated settings
 * or sessions each, held equal to the code they shadow. Apart from the unit tier so that it stays
 * fast; `npm test` runs them with everything else.
 */
export const PROPERTY_TESTS = [
  "test/application/optimize/simulate-equals-backtest.test.ts",
  "test/application/optimize/simulate-portfolio-equals-backtest.test.ts",
  "test/application/report/live-report-property.test.ts",
];

export default defineConfig({
  test: {
    include: PROPERTY_TESTS,
    maxWorkers: 2,
    testTimeout: 120_000,
  },
});
