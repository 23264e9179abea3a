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
    // ARCHITECTURE.md's dependency rule: layers, package entry points, dependencies declared where used.
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { hall: hallPlugin },
    rules: { 'hall/boundaries': 'error' },
  },
);
