// Lint rules that guard the two things a type checker cannot: forgotten awaits on Temporal
// calls, and impure code in workflows/ and machines/ (which must replay deterministically).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);
const ioLibraries = ['knex', 'pg', 'nodemailer', 'smtp-server', 'fastify', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'web/dist/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Deterministic code: no Node built-ins, no I/O libraries, no ambient clocks or network.
    files: ['workflows/**/*.ts', 'machines/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioLibraries].map((name) => ({
            name,
            message: 'workflows/ and machines/ must stay deterministic: no Node built-ins or I/O.',
          })),
          patterns: [{ group: ['node:*'], message: 'workflows/ and machines/ must stay deterministic.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'No network in deterministic code.' },
        { name: 'process', message: 'No process access in deterministic code.' },
        { name: 'setTimeout', message: 'Use Temporal timers (sleep/condition) in workflows.' },
        { name: 'setInterval', message: 'Use Temporal timers in workflows.' },
      ],
    },
  },
  {
    // The workflow bundle evaluates its modules once per cached journey: workflows/ and the runtime
    // core (machines/*.ts) load neither zod nor the schema layer nor the barrel that pulls both.
    // Types from them are erased, so `import type` stays allowed.
    files: ['workflows/**/*.ts', 'machines/*.ts'],
    ignores: ['machines/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: 'No zod in the workflow: validate where data enters (API, activities).', allowTypeImports: true }],
          patterns: [
            {
              group: ['**/schema/*', './schema/*'],
              message: 'The schema layer (machines/schema/) loads zod: only `import type` from it here.',
              allowTypeImports: true,
            },
            { group: ['**/machines/index', '**/machines/index.js', './index', './index.js'], message: 'Import the core module itself, not the barrel.' },
          ],
        },
      ],
    },
  },
);
