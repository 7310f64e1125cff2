// The layers of DESIGN.md §2, checked by a machine (issue 16): a file's folder says what it may import.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'tls', 'url', 'util', 'worker_threads', 'stream', 'zlib', 'events'];

/** `no-restricted-imports` patterns, each with the reason a reader sees in the error. */
const forbid = (group, message) => ({ group, message });

const SHARED_PURE = [
  forbid(['electron', 'electron/*'], 'shared/ is pure TypeScript: no electron.'),
  forbid(NODE_BUILTINS, 'shared/ is pure TypeScript: no Node built-ins (the renderer imports it too).'),
  forbid(['react', 'react-dom', 'react/*', '@mantine/*', '@tabler/*'], 'shared/ is pure TypeScript: no React or UI libraries.'),
  forbid(['better-sqlite3'], 'shared/ is pure TypeScript: no SQLite.'),
  forbid(['**/electron/**', '../electron', '../../electron'], 'shared/ may not reach into electron/: the core depends on shared, not the reverse.'),
  forbid(['**/renderer/**', '../renderer', '../../renderer'], 'shared/ may not reach into renderer/.'),
];

const CORE_PLAIN_NODE = [
  forbid(['electron', 'electron/*'], 'electron/core is plain Node, so tests and the server can run it: never import electron.'),
  forbid(['**/renderer/**'], 'the core never imports the renderer.'),
  forbid(['**/main/**', '**/preload/**'], 'the core never imports the Electron shell or the preload.'),
];

const RENDERER_UI = [
  forbid(['electron', 'electron/*'], 'the renderer talks only through window.echelon.'),
  forbid(['**/electron/**'], 'the renderer never imports electron/ (core, main, preload): use window.echelon.'),
  forbid(['better-sqlite3'], 'the renderer has no database.'),
];

/** A screen folder never imports another screen folder: shared UI lives in renderer/src/components. */
const SCREENS = ['Admin', 'Admit', 'Beds', 'Chart', 'Discharge', 'FirstRun', 'Import', 'Login', 'Patients', 'Queue', 'Reports', 'Rounds', 'WardBoard'];
const screenRules = SCREENS.map((screen) => ({
  files: [`renderer/src/screens/${screen}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...RENDERER_UI,
          forbid(
            SCREENS.filter((s) => s !== screen)
              .map((s) => `**/screens/${s}/**`)
              .concat(SCREENS.filter((s) => s !== screen).map((s) => `../${s}/*`)),
            `a screen never imports another screen (${screen}): move what both need to renderer/src/components.`,
          ),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['out/**', 'build/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'test/bench/.data/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x parses no TypeScript file it follows, and finds no cycle at all.
      'import-x/extensions': ['.ts', '.tsx', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-syntax': ['error', { selector: 'TSAsExpression > TSNeverKeyword', message: '`as never` silences the type checker: fix the type (STYLE.md 11).' }],
      // Unused names are errors, except those written `_x` on purpose (destructuring a field away).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' }],
      // `{}` is the idiom better-sqlite3's Statement<P extends unknown[] | {}> needs for named parameters.
      '@typescript-eslint/no-empty-object-type': 'off',
      // A function past 150 lines is two things (STYLE.md 2); tests and the demo generator's scripted stories are exempt.
      'max-lines-per-function': ['error', { max: 150, skipBlankLines: true, skipComments: true }],
    },
  },
  { files: ['test/**', 'electron/core/demo/**'], rules: { 'max-lines-per-function': 'off' } },
  { files: ['shared/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: SHARED_PURE }] } },
  { files: ['electron/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: CORE_PLAIN_NODE }] } },
  {
    files: ['electron/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['electron', 'electron/*'], 'the server wing is plain Node: never import electron.'),
            forbid(['**/core/*/**', '!**/core/index'], 'the server wing imports the core only through electron/core (its index).'),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The rules of hooks. The React Compiler's rules (purity, set-state-in-effect, …) are for code the
      // compiler rewrites; we do not run it, and the data layer moving to TanStack Query (issue 16) is
      // what retires the effect-driven loading they flag.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', { patterns: RENDERER_UI }],
    },
  },
  ...screenRules,
);
