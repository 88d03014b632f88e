import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    setupFiles: ["tests/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The e2e suites each start a local stack (DynamoDB Local is a JVM): keep the 2-core machine from thrashing.
    maxWorkers: 2,
  },
});
