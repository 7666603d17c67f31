// Flat config: typescript-eslint's recommended rules over every TypeScript file in the repo.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/.dist-*/**', '**/node_modules/**', '.periscope/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Nothing outside a package reaches into its src/: the package's exports are its only door.
    files: ['**/*.ts'],
    ignores: ['packages/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/packages/*/src', '**/packages/*/src/**', '@periscope/*/src', '@periscope/*/src/**'],
          message: 'Import the package by name (@periscope/instrument, @periscope/instrument/contract), not its src/.',
        }],
      }],
    },
  },
  {
    // Tests read parsed JSON (logs, API bodies) whose shape the assertions check.
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
