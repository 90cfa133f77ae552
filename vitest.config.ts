import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Tests build real git repositories and SQLite files; give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real PostgreSQL and Redis for this run (scripts/services.sh), stopped at the end.
    globalSetup: ["test/support/global-setup.ts"],
  },
});
