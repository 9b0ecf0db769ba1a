// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

/**
 * Import boundaries, enforced mechanically (architecture-and-style.md):
 * - only src-main/electron and src-main/preload may import electron or electron-store;
 * - the contract imports nothing but zod;
 * - the engine and planner never import the shell or the renderer, the planner no network;
 * - the renderer imports no Node module and from src-main only the contract.
 */
const shellOnly = [
  { name: 'electron', message: 'Only src-main/electron and src-main/preload may import electron.' },
  { name: 'electron-store', message: 'Only src-main/electron may import electron-store; use src-main/store.' },
];
const notRenderer = { group: ['**/src-renderer/**'], message: 'Main-side code never imports the renderer.' };
const notShell = { group: ['**/electron/**', '**/preload/**', '**/bridge/**', '**/cli/**'], message: 'The engine and planner do not depend on the shell, bridge or CLI.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'dist-web/**', 'release/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: shellOnly, patterns: [notRenderer] }],
    },
  },
  {
    files: ['src-main/engine/**', 'src-main/planner/**', 'src-main/store/**'],
    rules: { 'no-restricted-imports': ['error', { paths: shellOnly, patterns: [notRenderer, notShell] }] },
  },
  {
    files: ['src-main/planner/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...shellOnly, 'dns2', 'node:net', 'node:tls', 'node:dns', 'node:http', 'node:https', 'node:fs', 'node:fs/promises'],
        patterns: [notRenderer, notShell, { group: ['**/engine/**'], message: 'The planner is pure: it takes diagnostic results as plain data.' }],
      }],
    },
  },
  {
    files: ['src-main/contract/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(?!zod$|\\./)', message: 'The contract imports only zod and its own files.' }],
      }],
    },
  },
  {
    files: ['src-main/electron/**', 'src-main/preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [notRenderer] }] },
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
      'no-restricted-imports': ['error', {
        paths: shellOnly,
        patterns: [
          { regex: '^node:', message: 'The renderer runs in a sandbox: no Node modules.' },
          { regex: '^(\\.\\./)+src-main/(?!contract/)', message: 'The renderer imports only the contract from src-main.' },
        ],
      }],
    },
  },
  // React's rules of hooks and their dependency lists, so no effect or callback works from stale state.
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs['recommended-latest'].rules, 'react-hooks/exhaustive-deps': 'error' },
  },
);
