import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { hallPlugin } from './eslint-rules/boundaries.js';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/out/**', '.data/**', 'test-results/**', 'scripts/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['bench/**/*.ts', '**/cli/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Stations log through their pino logger (packages/station/src/log.ts), which redacts personal data.
    files: ['packages/station/src/**/*.ts', 'packages/devices/src/**/*.ts', 'apps/{kiosk,counter,display}/src/main/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**', '**/testing.ts', '**/cli/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='console']", message: "log with the station's logger (import { log } from '@hall/station'): it redacts personal data" },
      ],
    },
  },
  {
    // A station rules module is pure (hall/boundaries keeps its imports to @hall/shared, zod and other
    // rules): no I/O through globals either, and no clock or randomness of its own, so that it gives
    // the same answer on every station; the caller passes `now` and `random` in.
    files: ['packages/station/src/**/rules/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.bench.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['fetch', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'process', 'Buffer', 'require', '__dirname', '__filename', 'console', 'WebSocket', 'XMLHttpRequest'].map(
          (name) => ({ name, message: 'a station rules module is pure: no I/O, timers or process state (the Node code around it passes what it needs)' }),
        ),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "a station rules module is pure: take the time as an argument (the caller's `now`)" },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: "a station rules module is pure: take the time as an argument (the caller's `now`)" },
        { object: 'Math', property: 'random', message: 'a station rules module is pure: take a `random` function as an argument' },
      ],
    },
  },
  {
    // ARCHITECTURE.md's dependency rule: layers, package entry points, dependencies declared where used.
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { hall: hallPlugin },
    rules: { 'hall/boundaries': 'error' },
  },
);
