import { defineConfig } from "vitest/config";

// Scenarios start real conductors: one file at a time, generous time for villages to form and
// countersigning sessions to complete. No test asserts on speed (that is `npm run bench`).
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    fileParallelism: false,
    pool: "forks",
    testTimeout: 180_000,
    hookTimeout: 400_000,
    reporters: ["verbose"],
  },
});
