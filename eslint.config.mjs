// @ts-check
/**
 * ESLint: the recommended rules of ESLint and typescript-eslint (no type-aware rules: they would
 * type-check the project a second time; `npm run typecheck` does that), plus a few that catch bugs
 * this codebase cares about. Formatting is Prettier's job (.prettierrc.json), not ESLint's.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const readonly = (names) => Object.fromEntries(names.map((name) => [name, 'readonly']));

const nodeGlobals = readonly([
  'require',
  'module',
  'exports',
  '__dirname',
  '__filename',
  'process',
  'console',
  'Buffer',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'URL',
  'URLSearchParams',
  'fetch',
  'AbortController',
  'TextEncoder',
  'TextDecoder',
  'structuredClone',
]);

const browserGlobals = readonly([
  'window',
  'document',
  'location',
  'history',
  'navigator',
  'localStorage',
  'sessionStorage',
  'console',
  'fetch',
  'Headers',
  'Request',
  'Response',
  'AbortController',
  'EventSource',
  'WebSocket',
  'URL',
  'URLSearchParams',
  'TextEncoder',
  'TextDecoder',
  'TextDecoderStream',
  'CSS',
  'Intl',
  'HTMLElement',
  'Element',
  'Node',
  'Event',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'vis',
]);

export default tseslint.config(
  {
    ignores: ['**/node_modules/', 'dist/', 'coverage/', 'data/', '.bench-tmp/', 'resolvers/__generated__/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names are deliberately unused (a parameter kept for its position, a destructured-away field).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `==` only against null (matches undefined too); everything else compares strictly.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Type-only imports stay type-only in the emitted JavaScript (isolatedModules, no import side effects).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-throw-literal': 'error',
      // A `let` read by a closure made before its one assignment (wiring that refers to a later part) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'prefer-promise-reject-errors': 'error',
      'no-return-assign': ['error', 'except-parens'],
      'object-shorthand': ['error', 'properties'],
    },
  },
  {
    // Tests and the bench read untyped GraphQL responses; `any` there is the honest type.
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['server/timeline/**/*.js'],
    languageOptions: { sourceType: 'script', globals: browserGlobals },
  },
);
