// `npm run test:production`: the production-shaped suites (tests/production), each on a stack of
// its own with the real Temporal server on PostgreSQL. Kept out of `npm test` for time; CI runs both.
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config';

export default defineConfig({ test: { ...base.test, include: ['tests/production/**/*.test.ts'], exclude: configDefaults.exclude } });
