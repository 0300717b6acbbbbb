import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The production-shaped suites run on their own: `npm run test:production`.
    exclude: [...configDefaults.exclude, 'tests/production/**'],
    globalSetup: ['tests/setup/globalSetup.ts'],
    setupFiles: ['tests/setup/noStrayConsole.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    restoreMocks: true,
  },
});
