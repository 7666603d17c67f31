// Flat config: typescript-eslint's recommended rules over every TypeScript file in the repo, and
// the type-aware promise rules (as OpenTelemetry JS runs them), typed by the root tsconfig.json.
import tseslint from 'typescript-eslint';

/**
 * The workspaces, by folder, with the import paths that reach into their src/ (relative, or
 * through the package name) and what to import instead.
 */
const WORKSPACES = [
  {
    folder: 'packages',
    group: ['**/packages/*/src', '**/packages/*/src/**', '@periscope/*/src', '@periscope/*/src/**'],
    message: 'Import the package by name (@periscope/instrument, @periscope/instrument/contract), not its src/.',
  },
  {
    folder: 'stack',
    group: ['**/stack/src', '**/stack/src/**'],
    message: 'Import @periscope/stack by name, not its src/.',
  },
  {
    folder: 'demo-services',
    group: ['**/demo-services/*/src', '**/demo-services/*/src/**', '@periscope-demo/*/src', '@periscope-demo/*/src/**'],
    message: 'Import the demo by name (@periscope-demo/shared, @periscope-demo/launcher), not a file of its src/.',
  },
];

/** no-restricted-imports for a file in `folder` (or outside every workspace): every other workspace's src/ is off limits. */
function boundaryRule(folder) {
  const patterns = WORKSPACES.filter((w) => w.folder !== folder).map(({ group, message }) => ({ group, message }));
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/.dist-*/**', '**/node_modules/**', '.periscope/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    // Types for every file come from the root tsconfig.json (the nearest one to each file): one
    // program for the whole repo, built once per run.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits, handles or marks `void` loses its rejection.
      '@typescript-eslint/no-floating-promises': 'error',
      // A promise where a void return is expected (an event handler, a timer) rejects unhandled.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // No workspace imports another's src/: a workspace's exports are its only door.
  { files: ['**/*.ts'], ignores: ['packages/**', 'stack/**', 'demo-services/**'], rules: boundaryRule() },
  { files: ['packages/**/*.ts'], rules: boundaryRule('packages') },
  { files: ['stack/**/*.ts'], rules: boundaryRule('stack') },
  { files: ['demo-services/**/*.ts'], rules: boundaryRule('demo-services') },
  {
    // Tests read parsed JSON (logs, API bodies) whose shape the assertions check.
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
