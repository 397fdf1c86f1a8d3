import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Gateways built in tests keep their state in memory unless a test says otherwise.
    env: { TOOLGATE_AUDIT_DB: ":memory:", TOOLGATE_STATE_DB: ":memory:", TOOLGATE_AUTH_DB: ":memory:" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each e2e file starts real servers; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
