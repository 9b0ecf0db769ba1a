// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

/**
 * Layers as allow-lists (architecture-and-style.md; models: VS Code's layer
 * rule, Signal's per-file environment). Two tools enforce them:
 * - .dependency-cruiser.cjs (`npm run deps`): which folder may import which,
 *   no cycles, nothing from a lower layer to a higher one;
 * - this file: which packages and Node modules each folder may import (an
 *   allow-list: anything not listed is refused), and which globals it may use
 *   (pure folders: no Node and no DOM globals; the renderer: no Node).
 * Relative imports are checked by dependency-cruiser, which resolves them.
 */

/** What each layer of src-main may import besides relative files: packages, and Node's modules when `node`. */
const LAYERS = {
  contract: { packages: ['zod'], node: false, why: 'The contract imports only zod and its own files.' },
  text: { packages: [], node: false, why: 'Text helpers import only the contract (its sanitiser).' },
  static: { packages: [], node: true, why: 'Finding the built renderer\'s files uses Node\'s fs and path only.' },
  planner: { packages: ['zod'], node: false, why: 'The planner is pure: no Node modules, no network; it takes diagnostic results as plain data.' },
  engine: { packages: ['dns2', 'p-limit', 'zod', 'postal-mime', '@kenjiuno/msgreader'], node: true, why: 'The engine uses Node and its protocol and message-format packages; its dependencies are passed in.' },
  report: { packages: ['zod'], node: true, why: 'Reports render the contract\'s data.' },
  store: { packages: ['conf', 'zod'], node: true, why: 'The store persists with conf; electron-store is reached only through src-main/electron.' },
  handlers: { packages: ['zod', 'p-limit'], node: true, why: 'Handlers use the engine, planner, report and store; never electron.' },
  bridge: { packages: ['zod'], node: true, why: 'The bridge serves the handlers over HTTP; never electron.' },
  cli: { packages: ['commander', 'zod'], node: true, why: 'The CLI runs in plain Node: never electron.' },
  electron: { packages: ['electron', 'electron-store', 'zod'], node: true, why: 'The shell.' },
  preload: { packages: ['electron'], node: false, why: 'The preload runs sandboxed: only electron and the contract\'s channel names.' },
};

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** no-restricted-imports that refuses every import that is not relative and not in the allow-list. */
function allowOnly(packages, node, message) {
  const allowed = ['\\.{1,2}/', ...packages.map((p) => `${escape(p)}(/|$)`), ...(node ? ['node:'] : [])];
  return ['error', {
    paths: [],
    patterns: [{ regex: `^(?!(${allowed.join('|')}))`, message: `${message} (allowed: ${[...packages, ...(node ? ['node:*'] : [])].join(', ') || 'relative files only'}; layers: README, Development).` }],
  }];
}

/** Node's globals (process, Buffer, require …) beyond what the language has (setTimeout, URL, TextEncoder are in both). */
const NODE_ONLY_GLOBALS = ['process', 'Buffer', 'require', 'module', 'exports', '__dirname', '__filename', 'global', 'setImmediate', 'clearImmediate'];
/** The DOM and browser APIs a pure module must not reach for (fetch is the network). */
const DOM_GLOBALS = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'indexedDB', 'alert'];
const pureGlobals = [...NODE_ONLY_GLOBALS, ...DOM_GLOBALS].map((name) => ({ name, message: 'Pure code (contract, planner, text, engine parsers) uses no Node or DOM globals: take what you need as a parameter.' }));

/** Engine modules that only parse bytes and text: held to the pure rule too. */
const ENGINE_PARSERS = ['src-main/engine/smtp/capabilities.ts', 'src-main/engine/tls/der.ts', 'src-main/engine/dns/answers.ts', 'src-main/engine/dns/names.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'dist-web/**', 'release/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Outside src-main (tests, bench, scripts): anything but electron, which only the shell may load.
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'Only src-main/electron and src-main/preload may import electron.' },
          { name: 'electron-store', message: 'Only src-main/electron may import electron-store; use src-main/store.' },
        ],
      }],
    },
  },
  {
    // `{ … } as T` hides missing and misspelt fields: declare the type (`const x: T = { … }`) or use `satisfies`.
    // Tests may still state a partial fixture that way.
    files: ['src-main/**', 'src-renderer/**', 'bin/**', 'scripts/**', 'bench/**'],
    rules: { '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'as', objectLiteralTypeAssertions: 'never' }] },
  },
  ...Object.entries(LAYERS).map(([folder, layer]) => ({
    files: [`src-main/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': allowOnly(layer.packages, layer.node, layer.why) },
  })),
  {
    files: ['src-main/contract/**/*.ts', 'src-main/planner/**/*.ts', 'src-main/text/**/*.ts', ...ENGINE_PARSERS],
    rules: { 'no-restricted-globals': ['error', ...pureGlobals] },
  },
  {
    files: ['src-renderer/**', 'test/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // Banners, certificate fields, DNS text and imported files are untrusted: render them as text.
      'no-restricted-syntax': ['error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Untrusted text is rendered as text, never as HTML.' },
        { selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]", message: 'Untrusted text is rendered as text, never as HTML.' },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'Untrusted text is rendered as text, never as HTML.' },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [],
        patterns: [{
          regex: '^(?!((\\.\\./)+src-main/contract/|\\.{1,2}/(?!.*src-main/)|(react|react-dom|@xyflow/react|zod)(/|$)))',
          message: 'The renderer runs in a sandbox: its own files, the contract from src-main, react, react-dom, @xyflow/react and zod; no Node modules (layers: README, Development).',
        }],
      }],
      'no-restricted-globals': ['error', ...NODE_ONLY_GLOBALS.map((name) => ({ name, message: 'The renderer runs in a sandbox: no Node globals.' }))],
    },
  },
  // React's rules of hooks and their dependency lists, so no effect or callback works from stale state.
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs['recommended-latest'].rules, 'react-hooks/exhaustive-deps': 'error' },
  },
);
