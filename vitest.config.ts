import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Two files at a time: most tests wait on local servers, not on the CPU (98 s instead of 134 s here).
    maxWorkers: 2,
    // Limits for a hung test, not speed checks (timing belongs in `npm run bench`): wide enough for a
    // CI machine several times slower than this one (with two busy loops beside it, a 9 s test took 22 s).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
