import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The web app's own import alias, for its unit tests.
  resolve: { alias: { "@": fileURLToPath(new URL("apps/web/src", import.meta.url)) } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "scripts/test/**/*.test.ts"],
    globalSetup: ["packages/test-support/src/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest runs one file at a time on two cores (cores - 1); most files wait on worker processes,
    // PostgreSQL and HTTP rather than compute. Two at once take about three quarters of the time;
    // three were faster still but made timing races in tests show up now and then.
    maxWorkers: 2,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" },
  },
});
