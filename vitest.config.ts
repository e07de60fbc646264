// Test runner configuration: unit, CPU, property and integration suites under test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 1_200_000,
    pool: 'forks',
  },
});
