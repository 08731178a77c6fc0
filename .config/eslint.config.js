import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/migrations/**', '.data/**', '.turbo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Type-aware rules: promises that are neither awaited nor handled, awaits of non-promises, promises
  // where a void callback is expected, and type assertions that change nothing. One TypeScript
  // program for every linted file (.config/tsconfig.eslint.json) rather than `projectService`:
  // with a program per package tsconfig the API's source graph was type-checked once for each
  // package that imports it (api, server, cli, ui, admin, portal, test), ~4 min of CPU against ~1
  // for the single program. The packages' own tsconfigs stay the typecheck's authority.
  {
    files: ['packages/*/src/**/*.{ts,tsx}', 'apps/*/src/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        project: './.config/tsconfig.eslint.json',
        tsconfigRootDir: fileURLToPath(new URL('..', import.meta.url)),
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  // React's rules of hooks, and effects/memos/callbacks that list what they read.
  {
    files: ['apps/admin/src/**/*.{ts,tsx}', 'apps/portal/src/**/*.{ts,tsx}', 'packages/ui/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // Import boundaries (ARCHITECTURE.md). The API package's service layer (lib/, jobs/, audit/,
  // transfer/, log/, auth/) never imports a router; routers call it.
  {
    files: ['packages/api/src/**/*.ts'],
    ignores: [
      'packages/api/src/routers/**',
      'packages/api/src/root.ts',
      'packages/api/src/index.ts',
      'packages/api/src/testing.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)routers(/|$)',
              message: 'the service layer never imports a router: move what both need into lib/',
            },
          ],
        },
      ],
    },
  },
  // A router does not import another router (its own folder's modules are fine).
  {
    files: ['packages/api/src/routers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./[^.]',
              message: 'a router does not import another router: share through lib/',
            },
          ],
        },
      ],
    },
  },
  // The web apps talk to the API over HTTP: from the server packages they import only types.
  {
    files: ['apps/admin/src/**/*.{ts,tsx}', 'apps/portal/src/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@spotcheck/api',
              message: 'apps import only types from the API package',
              allowTypeImports: true,
            },
          ],
          patterns: [
            {
              group: [
                '@spotcheck/api/*',
                '@spotcheck/db',
                '@spotcheck/db/*',
                '@spotcheck/server',
                '**/packages/*/src/**',
                '@spotcheck/*/testing',
              ],
              message: 'apps reach the server only over HTTP (and core, rules or ui as packages)',
            },
          ],
        },
      ],
    },
  },
  // Tests and apps reach another package by its name and its package.json `exports` (a `./testing`
  // entry for what only tests call), never by a path into its src/. The web apps' vite.config.ts
  // is the one exception: Node loads it before Vite can resolve a TypeScript package.
  {
    files: ['test/**/*.{ts,tsx}', 'apps/**/*.{ts,tsx}'],
    ignores: ['apps/*/vite.config.ts', 'apps/admin/src/**', 'apps/portal/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(packages|apps)/[^/]+/src(/|$)',
              message:
                'import the package by name (@spotcheck/…); what tests need goes in its package.json exports',
            },
          ],
        },
      ],
    },
  },
  // A package's code reaches another package by name too, and its runtime code (not its unit
  // tests) never imports a `./testing` entry; nor do the server and the CLI.
  {
    files: ['packages/*/src/**/*.{ts,tsx}', 'apps/api/src/**/*.ts', 'apps/cli/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'apps/cli/src/testing.ts', 'packages/api/src/testing.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(packages/|apps/)?[^./][^/]*/src(/|$)',
              message: 'import another package by name (@spotcheck/…), not by a path into its src/',
            },
            {
              group: ['@spotcheck/*/testing'],
              message: 'a ./testing entry is for tests only',
            },
          ],
        },
      ],
    },
  },
);
